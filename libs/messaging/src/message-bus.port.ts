/** The header that carries the correlation id from producer to consumer. */
export const CORRELATION_ID_HEADER = 'correlation-id';

export interface OutgoingMessage {
  /** Messages with one key land in one partition and are handled in order. */
  key: string;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  /** The message's offset in its partition, as a decimal string. */
  offset: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  /** The `correlation-id` header, when the producer set one. */
  correlationId?: string;
  /** When the broker (or the in-process bus) appended the message. */
  timestamp: Date;
  /** 1 on the first delivery to this subscriber, then 2, 3, ... on retries. */
  attempt: number;
}

/**
 * What a handler reports (for a batch handler, see `SubscribeOptions.handleBatch`):
 * - `done`: handled; the offset is committed and the next message follows.
 * - `retry`: not handled yet (a dependency is down); the same message comes
 *   back after a backoff, and later messages of its partition wait for it.
 *
 * A handler that throws a `RetriableError` (from @observe/core) means `retry`.
 * Any other error marks the message as poison: it is logged, sent to the
 * dead-letter topic when one is configured, and committed, so one bad message
 * does not block its partition forever.
 */
export type HandleOutcome = 'done' | 'retry';

export interface RetryPolicy {
  /** First backoff (default 200 ms); it doubles on each attempt, with jitter. */
  initialDelayMs?: number;
  /** Longest backoff (default 30 s). */
  maxDelayMs?: number;
  /** After this many attempts the message is treated as poison (default: never). */
  maxAttempts?: number;
}

export interface SubscribeOptions {
  topic: string;
  /** Subscribers sharing a group id share the topic's partitions. */
  groupId: string;
  /**
   * Handles one message. With `handleBatch` it is only the fallback for a
   * batch that failed with a poison error, so it must do the same work.
   */
  handle(message: IncomingMessage): Promise<HandleOutcome>;
  /**
   * Handles several messages at once, when given: 1 to `maxBatchSize`
   * messages of one partition, consecutive and in offset order (so in order
   * per key), all with the same `attempt`. The outcome is the whole batch's:
   * - `done`: every offset of the batch is committed at once.
   * - `retry` or a thrown `RetriableError`: the same batch comes back after
   *   the backoff; later messages of its partition wait for it. Once
   *   `retry.maxAttempts` is reached the batch falls back as below.
   * - any other error: nothing of the batch is committed, and its messages
   *   go one at a time to `handle`, with the per-message semantics (the
   *   poison one is parked and committed alone; the others are handled and
   *   committed). Their `attempt` goes on from the batch's.
   *
   * A batch may thus be partly handled twice (by the batch handler, then by
   * `handle`): both must be idempotent, as at-least-once asks anyway.
   */
  handleBatch?(messages: IncomingMessage[]): Promise<HandleOutcome>;
  /** Most messages handed to `handleBatch` at once (default 500). */
  maxBatchSize?: number;
  /**
   * Where a group with no committed offset starts: the oldest retained
   * message (true) or the end of the topic (false, the default; see the
   * README for when "the end" is taken on Kafka). A group that has committed
   * offsets always resumes from them.
   */
  fromBeginning?: boolean;
  /** Partitions this subscriber handles at the same time (default 1). */
  concurrency?: number;
  retry?: RetryPolicy;
  /** Poison messages are published here (with the reason in headers) before they are skipped. */
  deadLetterTopic?: string;
}

export interface ConsumerHandle {
  /**
   * Leaves the group once the message (or batch) in hand is handled; one
   * waiting for a retry is left uncommitted, for the next member of the group.
   */
  stop(): Promise<void>;
}

/**
 * Topics of keyed messages, consumed by groups, at least once: a message is
 * committed only after its handler resolved `done`, so a crash redelivers it.
 * Handlers must therefore be idempotent.
 */
export abstract class MessageBus {
  /**
   * Resolves once the broker has acknowledged every message. Rejects with a
   * `RetriableError` when the broker stays unreachable: the caller should
   * publish again (which may deliver some of the messages twice).
   */
  abstract publish(topic: string, messages: OutgoingMessage[]): Promise<void>;

  /**
   * Resolves once the subscriber has joined its group, so a message published
   * afterwards reaches it even when it starts from the end of the topic.
   */
  abstract subscribe(options: SubscribeOptions): Promise<ConsumerHandle>;

  /** Creates the topic with `partitions` partitions unless it exists. */
  abstract ensureTopic(topic: string, partitions: number): Promise<void>;

  /** Resolves when the broker answers; readiness checks call it. */
  abstract ping(): Promise<void>;

  /** Stops every subscriber and releases connections. */
  abstract close(): Promise<void>;
}
