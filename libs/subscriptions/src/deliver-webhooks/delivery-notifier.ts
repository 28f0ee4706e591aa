import { Injectable } from '@nestjs/common';

/**
 * Wakes this process's delivery loop when a delivery falls due now (one was
 * planned, resent or resumed here), instead of waiting for its next poll.
 * Other processes find the work on their own poll.
 */
@Injectable()
export class DeliveryNotifier {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
