import { Logger } from '@nestjs/common';

import { isRetriable, sleep } from '@observe/core';

import {
  HandleOutcome,
  IncomingMessage,
  OutgoingMessage,
  SubscribeOptions,
} from './message-bus.port';

/** Headers a dead-lettered message carries besides its own. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dead-letter-reason',
  topic: 'dead-letter-topic',
  partition: 'dead-letter-partition',
  offset: 'dead-letter-offset',
  groupId: 'dead-letter-group',
} as const;

/**
 * - `committable`: handled, or poison that was logged (and parked): commit it.
 * - `abandoned`: the subscriber stopped or lost the partition first: do not
 *   commit; the group's next owner of the partition gets the message again.
 */
export type DeliveryResult = 'committable' | 'abandoned';

/** Whether a delivery may go on, and how to keep the member alive while it waits. */
export interface DeliveryControl {
  active(): boolean;
  /** Called at least every half second while waiting for a retry (a Kafka heartbeat). */
  whileWaiting?(): Promise<void>;
}

type Publish = (topic: string, messages: OutgoingMessage[]) => Promise<void>;

const WAIT_SLICE_MS = 500;

/**
 * The semantics both adapters share: call the handler, retry with backoff on
 * `retry` or a RetriableError, and log and park poison. The adapter decides
 * what reaching `committable` means for its offsets.
 */
export class MessageDelivery {
  private readonly stopping = new AbortController();
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly publish: Publish,
    private readonly logger: Logger,
  ) {
    this.initialDelayMs = options.retry?.initialDelayMs ?? 200;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 30_000;
    this.maxAttempts = options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY;
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Wakes every wait so that deliveries in hand give up promptly. */
  stop(): void {
    this.stopping.abort();
  }

  async deliver(
    message: Omit<IncomingMessage, 'attempt'>,
    control: DeliveryControl,
  ): Promise<DeliveryResult> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.stopped || !control.active()) return 'abandoned';

      const outcome = await this.attempt({ ...message, attempt });
      if (outcome.kind === 'done') return 'committable';
      if (outcome.kind === 'poison') return this.park(message, outcome.reason, control);

      if (attempt >= this.maxAttempts) {
        const reason = new Error(`gave up after ${attempt} attempts`, { cause: outcome.reason });
        return this.park(message, reason, control);
      }

      const delayMs = this.backoff(attempt);
      // Every attempt of a long outage would flood the log: report 1, 2, 4, 8, ...
      if ((attempt & (attempt - 1)) === 0) {
        this.logger.warn({
          msg: 'message not handled yet; retrying',
          ...this.describe(message),
          attempt,
          nextAttemptInMs: delayMs,
          err: outcome.reason,
        });
      }
      await this.wait(delayMs, control);
    }
  }

  private async attempt(
    message: IncomingMessage,
  ): Promise<{ kind: 'done' } | { kind: 'retry' | 'poison'; reason: unknown }> {
    let outcome: HandleOutcome;
    try {
      outcome = await this.options.handle(message);
    } catch (error) {
      return { kind: isRetriable(error) ? 'retry' : 'poison', reason: error };
    }

    if (outcome === 'done') return { kind: 'done' };
    if (outcome === 'retry') return { kind: 'retry', reason: undefined };
    return {
      kind: 'poison',
      reason: new Error(`the handler answered ${String(outcome)}, not done or retry`),
    };
  }

  /** Logs the poison message and parks it; keeps trying to park it while the broker is away. */
  private async park(
    message: Omit<IncomingMessage, 'attempt'>,
    reason: unknown,
    control: DeliveryControl,
  ): Promise<DeliveryResult> {
    const deadLetterTopic = this.options.deadLetterTopic;
    this.logger.error({
      msg: deadLetterTopic
        ? 'poison message moved to the dead-letter topic'
        : 'poison message skipped',
      ...this.describe(message),
      deadLetterTopic,
      err: reason,
    });
    if (!deadLetterTopic) return 'committable';

    const parked: OutgoingMessage = {
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        [DEAD_LETTER_HEADERS.reason]: reason instanceof Error ? reason.message : String(reason),
        [DEAD_LETTER_HEADERS.topic]: message.topic,
        [DEAD_LETTER_HEADERS.partition]: String(message.partition),
        [DEAD_LETTER_HEADERS.offset]: message.offset,
        [DEAD_LETTER_HEADERS.groupId]: this.options.groupId,
      },
    };
    for (let attempt = 1; ; attempt += 1) {
      if (this.stopped || !control.active()) return 'abandoned';
      try {
        await this.publish(deadLetterTopic, [parked]);
        return 'committable';
      } catch (error) {
        this.logger.warn({
          msg: 'could not park the poison message; retrying',
          ...this.describe(message),
          deadLetterTopic,
          err: error,
        });
      }
      await this.wait(this.backoff(attempt), control);
    }
  }

  private backoff(attempt: number): number {
    const exponential = Math.min(
      this.maxDelayMs,
      this.initialDelayMs * 2 ** Math.min(attempt - 1, 30),
    );
    // ±20% so that a group's members do not retry in lockstep.
    return Math.round(exponential * (0.8 + Math.random() * 0.4));
  }

  private async wait(ms: number, control: DeliveryControl): Promise<void> {
    const until = Date.now() + ms;
    for (let left = ms; left > 0 && !this.stopped && control.active(); left = until - Date.now()) {
      await sleep(Math.min(left, WAIT_SLICE_MS), this.stopping.signal);
      await control.whileWaiting?.();
    }
  }

  private describe(message: Omit<IncomingMessage, 'attempt'>): Record<string, unknown> {
    return {
      topic: message.topic,
      groupId: this.options.groupId,
      partition: message.partition,
      offset: message.offset,
      key: message.key,
      correlationId: message.correlationId,
    };
  }
}
