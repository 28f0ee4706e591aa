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

type Fetched = Omit<IncomingMessage, 'attempt'>;

/** Commits the offsets of its partition up to and including this message. */
export type CommitThrough = (message: Fetched) => Promise<void>;

type AttemptOutcome = { kind: 'done' } | { kind: 'retry' | 'poison'; reason: unknown };

const WAIT_SLICE_MS = 500;
const DEFAULT_MAX_BATCH_SIZE = 500;

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
  /** Messages handed over at once: up to the cap with a batch handler, else one. */
  readonly batchSize: number;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly publish: Publish,
    private readonly logger: Logger,
  ) {
    this.initialDelayMs = options.retry?.initialDelayMs ?? 200;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 30_000;
    this.maxAttempts = options.retry?.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.batchSize = options.handleBatch ? (options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE) : 1;
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Wakes every wait so that deliveries in hand give up promptly. */
  stop(): void {
    this.stopping.abort();
  }

  /**
   * Hands consecutive messages of one partition over in order, `batchSize` at
   * a time, and commits through each message or batch once it may be.
   * Answers `abandoned` as soon as one is; what follows it stays uncommitted.
   */
  async deliverInOrder(
    messages: Fetched[],
    control: DeliveryControl,
    commitThrough: CommitThrough,
  ): Promise<DeliveryResult> {
    for (let start = 0; start < messages.length; start += this.batchSize) {
      const batch = messages.slice(start, start + this.batchSize);
      const result = this.options.handleBatch
        ? await this.deliverBatch(batch, control, commitThrough)
        : await this.deliverOne(batch[0], control, commitThrough);
      if (result === 'abandoned') return 'abandoned';
    }
    return 'committable';
  }

  private async deliver(
    message: Fetched,
    control: DeliveryControl,
    firstAttempt: number,
  ): Promise<DeliveryResult> {
    for (let attempt = firstAttempt; ; attempt += 1) {
      if (this.stopped || !control.active()) return 'abandoned';

      const outcome = await this.attempt(() => this.options.handle({ ...message, attempt }));
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

  private async deliverOne(
    message: Fetched,
    control: DeliveryControl,
    commitThrough: CommitThrough,
    firstAttempt = 1,
  ): Promise<DeliveryResult> {
    const result = await this.deliver(message, control, firstAttempt);
    if (result === 'committable') await commitThrough(message);
    return result;
  }

  /**
   * The batch handler's retry loop. When it fails for good, the batch goes
   * one message at a time through `handle`, so only a poison message is
   * parked and the good ones around it are neither lost nor skipped.
   */
  private async deliverBatch(
    batch: Fetched[],
    control: DeliveryControl,
    commitThrough: CommitThrough,
  ): Promise<DeliveryResult> {
    const handleBatch = this.options.handleBatch;
    const last = batch[batch.length - 1];
    if (!handleBatch || !last) return 'committable';

    let failure: unknown;
    let attempt = 1;
    for (; ; attempt += 1) {
      if (this.stopped || !control.active()) return 'abandoned';

      const outcome = await this.attempt(() =>
        handleBatch(batch.map((message) => ({ ...message, attempt }))),
      );
      if (outcome.kind === 'done') {
        await commitThrough(last);
        return 'committable';
      }
      if (outcome.kind === 'poison') {
        failure = outcome.reason;
        break;
      }
      if (attempt >= this.maxAttempts) {
        failure = new Error(`gave up on the batch after ${attempt} attempts`, {
          cause: outcome.reason,
        });
        break;
      }

      const delayMs = this.backoff(attempt);
      if ((attempt & (attempt - 1)) === 0) {
        this.logger.warn({
          msg: 'batch not handled yet; retrying',
          ...this.describeBatch(batch),
          attempt,
          nextAttemptInMs: delayMs,
          err: outcome.reason,
        });
      }
      await this.wait(delayMs, control);
    }

    this.logger.warn({
      msg: 'batch failed; handling its messages one at a time',
      ...this.describeBatch(batch),
      attempt,
      err: failure,
    });
    for (const message of batch) {
      const result = await this.deliverOne(message, control, commitThrough, attempt + 1);
      if (result === 'abandoned') return 'abandoned';
    }
    return 'committable';
  }

  private async attempt(work: () => Promise<HandleOutcome>): Promise<AttemptOutcome> {
    let outcome: HandleOutcome;
    try {
      outcome = await work();
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
    message: Fetched,
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

  private describeBatch(batch: Fetched[]): Record<string, unknown> {
    const first = batch[0];
    return {
      topic: first?.topic,
      groupId: this.options.groupId,
      partition: first?.partition,
      firstOffset: first?.offset,
      lastOffset: batch[batch.length - 1]?.offset,
      count: batch.length,
    };
  }

  private describe(message: Fetched): Record<string, unknown> {
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
