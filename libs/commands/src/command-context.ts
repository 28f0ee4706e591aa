import { randomUUID } from 'node:crypto';

import { ContextSlot } from '@observe/core';
import { Actor, AppendedEvent } from '@observe/event-store';

/**
 * Who is acting and on whose behalf, for one request or one worker step.
 * Every event appended while it is active carries these as metadata.
 */
export interface CommandContext {
  actor: Actor;
  agentId?: string;
  conversationId?: string;
  idempotencyKey?: string;
  correlationId: string;
  causationId?: string;
  requestId?: string;
  /** Events appended under this context, so a mutation can cite them. */
  produced: ProducedEvent[];
}

export interface ProducedEvent extends AppendedEvent {
  streamId: string;
}

const slot = new ContextSlot<CommandContext>('command');

export const CommandContexts = {
  run<T>(context: Omit<CommandContext, 'produced'>, work: () => T): T {
    return slot.run({ ...context, produced: [] }, work);
  },

  current(): CommandContext | undefined {
    return slot.get();
  },

  /** A context for the platform's own workers (analyst, schedulers, monitors). */
  system(
    name: string,
    causationId?: string,
    correlationId?: string,
  ): Omit<CommandContext, 'produced'> {
    return {
      actor: { kind: 'system', name },
      correlationId: correlationId ?? randomUUID(),
      causationId,
    };
  },
};
