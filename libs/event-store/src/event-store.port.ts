import { RecordedEvent, NewEvent } from './event-envelope';
import { ExpectedRevision } from './expected-revision';

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendedEvent {
  eventId: string;
  type: string;
  revision: number;
  position: string;
}

export interface AppendResult {
  streamId: string;
  /** The stream's last revision after the append. */
  nextExpectedRevision: number;
  events: AppendedEvent[];
  /** True when every event id was already stored: a retry that wrote nothing. */
  alreadyAppended: boolean;
}

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: ReadDirection;
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface EventFilter {
  eventTypes?: string[];
  streamPrefixes?: string[];
}

/** `start` is before the first event of the global stream. */
export type GlobalCheckpoint = 'start' | string;

export interface ReadAllOptions {
  /** Exclusive: read what comes after this position. */
  after?: GlobalCheckpoint;
  maxCount?: number;
  filter?: EventFilter;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /**
   * How far the read went, matching or not. Resume after it; it moves even
   * when the filter matched nothing, so filtered readers do not stall.
   */
  checkpoint: GlobalCheckpoint;
  /** True when the read stopped at the end of what is visible now. */
  isEnd: boolean;
}

export interface SubscriptionBatch {
  events: RecordedEvent[];
  /** Store this once `events` are handled; resume after it. */
  checkpoint: GlobalCheckpoint;
}

export interface SubscribeOptions {
  after: GlobalCheckpoint;
  filter?: EventFilter;
  batchSize?: number;
  /**
   * How long to wait, once woken by an append, before reading: appends that
   * land meanwhile come in the same batch. For readers that do a round trip
   * per batch and can answer a little later (relays, not read models).
   */
  lingerMs?: number;
  /**
   * Handles one batch. Called with an empty batch when only the checkpoint
   * moved. A rejection stops the subscription and reaches `onError`.
   */
  handle(batch: SubscriptionBatch): Promise<void>;
  onError?(error: unknown): void;
  /** Called once the subscription has read everything visible so far. */
  onCaughtUp?(): void;
}

export interface Subscription {
  /** Stops after the batch in hand; resolves when nothing more will be handled. */
  stop(): Promise<void>;
}

/**
 * The event store port. Adapters: PostgreSQL (gap-safe, the default) and
 * EventStoreDB/KurrentDB. Both pass `describeEventStoreContract`.
 */
export abstract class EventStore {
  abstract append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;

  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  abstract readAll(options?: ReadAllOptions): Promise<ReadAllResult>;

  abstract subscribeToAll(options: SubscribeOptions): Subscription;

  /** Negative, zero or positive as `a` comes before, equals or follows `b`. */
  abstract comparePositions(a: GlobalCheckpoint, b: GlobalCheckpoint): number;

  /** Whether the store answers (for readiness). */
  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}

export function matchesFilter(
  event: Pick<RecordedEvent, 'type' | 'streamId'>,
  filter?: EventFilter,
): boolean {
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) {
    return false;
  }
  return true;
}
