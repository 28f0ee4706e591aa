import { ClaimedDelivery } from './delivery-claims';

interface Lane {
  waiting: ClaimedDelivery[];
  sending: number;
}

/**
 * Claimed deliveries, queued per subscription: each subscription sends at
 * most `sendsPerSubscription` at once (its connection pool), and what waits
 * behind them is already claimed, so the next send never waits for a claim.
 */
export class SubscriptionLanes {
  private readonly lanes = new Map<string, Lane>();
  private held = 0;

  constructor(private readonly sendsPerSubscription: number) {}

  /** Claimed and not finished, waiting or sending. */
  get total(): number {
    return this.held;
  }

  /** What is held, per subscription that holds any. */
  heldBySubscription(): Map<string, number> {
    return new Map([...this.lanes].map(([id, lane]) => [id, lane.waiting.length + lane.sending]));
  }

  add(delivery: ClaimedDelivery): void {
    const lane = this.lanes.get(delivery.subscriptionId) ?? { waiting: [], sending: 0 };
    lane.waiting.push(delivery);
    this.lanes.set(delivery.subscriptionId, lane);
    this.held += 1;
  }

  /** The next delivery a subscription may send now, counted as sending; undefined if it waits. */
  nextToSend(subscriptionId: string): ClaimedDelivery | undefined {
    const lane = this.lanes.get(subscriptionId);
    if (!lane || lane.sending >= this.sendsPerSubscription) return undefined;

    const next = lane.waiting.shift();
    if (next) lane.sending += 1;
    return next;
  }

  /** A send finished, or a waiting delivery was given up: it no longer counts. */
  finished(subscriptionId: string, wasSending: boolean): void {
    const lane = this.lanes.get(subscriptionId);
    if (!lane) return;

    if (wasSending) lane.sending -= 1;
    this.held -= 1;
    if (lane.sending === 0 && lane.waiting.length === 0) this.lanes.delete(subscriptionId);
  }

  /** Empties every queue (on shutdown), answering what was waiting. */
  drainWaiting(): ClaimedDelivery[] {
    const waiting: ClaimedDelivery[] = [];
    for (const [subscriptionId, lane] of this.lanes) {
      waiting.push(...lane.waiting);
      this.held -= lane.waiting.length;
      lane.waiting = [];
      if (lane.sending === 0) this.lanes.delete(subscriptionId);
    }
    return waiting;
  }
}
