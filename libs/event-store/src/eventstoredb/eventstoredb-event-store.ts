import {
  AllStreamSubscription,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  RecordedEvent as EsdbRecordedEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { Logger } from '@nestjs/common';

import { NewEvent, RecordedEvent } from '../event-envelope';
import { InvalidEventError, WrongExpectedRevisionError } from '../event-store.errors';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  GlobalCheckpoint,
  matchesFilter,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { assertValidEvents, assertValidStreamId } from '../event-validation';
import { ExpectedRevision } from '../expected-revision';
import { AppendSignal, startPollingSubscription } from '../polling-subscription';
import { UpcasterRegistry } from '../upcasters';
import { matchAppendedEvents } from './appended-events-match';
import { toClientConnectionString } from './eventstoredb-connection';
import {
  isForeignEvent,
  isSystemEvent,
  positionOf,
  toEsdbEvent,
  toRecordedEvent,
} from './eventstoredb-event-mapping';
import {
  compareEsdbCheckpoints,
  compareEsdbPositions,
  parseEsdbPosition,
} from './eventstoredb-position';
import {
  toActualRevision,
  toEsdbExpectedRevision,
  toReadRevision,
  toRevisionNumber,
} from './eventstoredb-revision';

export interface EventStoreDbEventStoreOptions {
  /** `esdb://host:2113?tls=false`; `kurrentdb://` is accepted as well. */
  connectionString: string;
  upcasters?: UpcasterRegistry;
}

interface StreamRead {
  fromRevision: bigint | typeof START | typeof END;
  direction: typeof FORWARDS | typeof BACKWARDS;
  maxCount: number;
}

const PING_DEADLINE_MS = 5_000;
const WATCH_RETRY_MS = 1_000;
const WATCH_RETRY_MAX_MS = 30_000;

/**
 * The event store on EventStoreDB / KurrentDB. Appends are atomic per stream
 * on the server; `$all` is one ordered log, so readers need no gap handling.
 * Subscriptions poll `$all` with the shared loop and are woken early by a live
 * server subscription, so both adapters deliver batches and checkpoints alike.
 */
export class EventStoreDbEventStore extends EventStore {
  private readonly logger = new Logger(EventStoreDbEventStore.name);
  private readonly client: EventStoreDBClient;
  private readonly upcasters: UpcasterRegistry;
  private readonly appendSignal = new AppendSignal();
  private appendWatch?: AllStreamSubscription;
  private appendWatchFailures = 0;
  private closed = false;

  constructor(options: EventStoreDbEventStoreOptions) {
    super();
    this.client = EventStoreDBClient.connectionString(
      toClientConnectionString(options.connectionString),
    );
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
  }

  async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    assertValidStreamId(streamId);
    assertValidEvents(events);
    const expectedRevision = toEsdbExpectedRevision(options.expectedRevision);

    // The server acknowledges an identical retry as a plain success, so look first.
    const earlier = await this.findEarlierAppend(streamId, events, options.expectedRevision);
    if (earlier) return earlier;

    let lastRevision: number;
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEsdbEvent), {
        expectedRevision,
      });
      lastRevision = toRevisionNumber(result.nextExpectedRevision);
    } catch (error: unknown) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;

      // An identical append may have landed between the look and the write.
      const raced = await this.findEarlierAppend(streamId, events, options.expectedRevision);
      if (raced) return raced;
      throw new WrongExpectedRevisionError(
        streamId,
        options.expectedRevision,
        toActualRevision(error.actualVersion),
      );
    }
    this.appendSignal.notify();

    // Positions are per event, and the append answers with one: read them back.
    const written = await this.readRaw(streamId, {
      fromRevision: BigInt(lastRevision - events.length + 1),
      direction: FORWARDS,
      maxCount: events.length,
    });
    if (matchAppendedEvents(eventIdsOf(events), written) !== 'all') {
      throw new Error(
        `EventStoreDB acknowledged an append to ${streamId} at revision ${lastRevision} ` +
          'but holds other events there',
      );
    }
    return toAppendResult(streamId, events, written, false);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const maxCount = options.maxCount ?? 1_000;
    if (maxCount <= 0) return [];

    const direction = forwards ? FORWARDS : BACKWARDS;
    const from = options.fromRevision;
    let events = await this.readRaw(streamId, {
      fromRevision: from === undefined ? (forwards ? START : END) : toReadRevision(from),
      direction,
      maxCount,
    });
    if (!forwards && from !== undefined && startedPastTheEnd(events, from, maxCount)) {
      events = await this.readRaw(streamId, { fromRevision: END, direction, maxCount });
    }

    return events.map((event) => this.upcasters.apply(toRecordedEvent(event)));
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = parseEsdbPosition(options.after);
    const maxCount = options.maxCount ?? 1_000;
    const checkpoint = options.after ?? 'start';
    if (maxCount <= 0) return { events: [], checkpoint, isEnd: false };

    // A read from a position includes the event at it; ask for one more and drop it.
    const read = this.client.readAll({
      fromPosition: after === 'start' ? START : after,
      direction: FORWARDS,
      maxCount: after === 'start' ? maxCount : maxCount + 1,
    });
    const fresh: EsdbRecordedEvent[] = [];
    // Read to the end of the answer (at most one extra event): leaving a read
    // early would leave its call open with no one to hear its errors.
    for await (const resolved of read) {
      const event = resolved.event;
      if (!event || compareEsdbPositions(event.position, after) <= 0) continue;
      if (fresh.length < maxCount) fresh.push(event);
    }

    const last = fresh[fresh.length - 1];
    return {
      events: fresh
        .filter((event) => !isSystemEvent(event) && this.isOwn(event))
        .map((event) => this.upcasters.apply(toRecordedEvent(event)))
        .filter((event) => matchesFilter(event, options.filter)),
      checkpoint: last ? positionOf(last) : checkpoint,
      isEnd: fresh.length < maxCount,
    };
  }

  /**
   * The shared polling loop over `readAll` rather than the server's filtered
   * subscription: it gives the port's batches, a checkpoint that moves past
   * filtered-out events, `onCaughtUp` and a clean stop on every server version.
   */
  subscribeToAll(options: SubscribeOptions): Subscription {
    this.watchAppends();
    return startPollingSubscription(
      { readAll: (read) => this.readAll(read), appends: this.appendSignal },
      options,
    );
  }

  comparePositions(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
    return compareEsdbCheckpoints(a, b);
  }

  /** Reads the last event of `$all`; the client gives reads no deadline, so we do. */
  async ping(): Promise<void> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    const timer = setTimeout(() => {
      void read.cancel();
      read.destroy(new Error(`EventStoreDB did not answer a ping within ${PING_DEADLINE_MS} ms`));
    }, PING_DEADLINE_MS);

    try {
      await read.toArray();
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.appendSignal.notify();
    const watch = this.appendWatch;
    this.appendWatch = undefined;
    await watch?.unsubscribe().catch(() => undefined);
    await this.client.dispose();
  }

  /**
   * Looks where the batch would go for an append that already landed: after
   * the expected revision, at the start for `no_stream`, else at the tail.
   */
  private async findEarlierAppend(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    const stored = await this.readExpectedPlace(streamId, events, expected);

    switch (matchAppendedEvents(eventIdsOf(events), stored)) {
      case 'all':
        return toAppendResult(streamId, events, stored, true);
      case 'some':
        throw new InvalidEventError('some event ids of this append are already stored', [
          { field: 'eventId', message: 'already used by another append' },
        ]);
      case 'none':
        return undefined;
    }
  }

  private async readExpectedPlace(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<EsdbRecordedEvent[]> {
    const count = events.length;
    if (typeof expected === 'number') {
      return this.readRaw(streamId, {
        fromRevision: BigInt(expected + 1),
        direction: FORWARDS,
        maxCount: count,
      });
    }
    if (expected === 'no_stream') {
      return this.readRaw(streamId, { fromRevision: START, direction: FORWARDS, maxCount: count });
    }

    // Without a revision the place is the tail; one event tells whether to read the rest.
    const [tail] = await this.readRaw(streamId, {
      fromRevision: END,
      direction: BACKWARDS,
      maxCount: 1,
    });
    const lastId = events[count - 1].eventId.toLowerCase();
    if (!tail || tail.id.toLowerCase() !== lastId || count === 1) return tail ? [tail] : [];

    const first = tail.revision - BigInt(count - 1);
    return this.readRaw(streamId, {
      fromRevision: first < 0n ? START : first,
      direction: FORWARDS,
      maxCount: count,
    });
  }

  /** A stream read as the server returns it; a stream that does not exist is empty. */
  private async readRaw(streamId: string, read: StreamRead): Promise<EsdbRecordedEvent[]> {
    const events: EsdbRecordedEvent[] = [];
    try {
      const stream = this.client.readStream(streamId, {
        fromRevision: read.fromRevision,
        direction: read.direction,
        maxCount: read.maxCount,
      });
      for await (const resolved of stream) {
        if (resolved.event) events.push(resolved.event);
      }
    } catch (error: unknown) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  private isOwn(event: EsdbRecordedEvent): boolean {
    if (!isForeignEvent(event)) return true;

    this.logger.warn({
      msg: 'skipping an event in $all that 24observe did not write',
      streamId: event.streamId,
      eventId: event.id,
      type: event.type,
    });
    return false;
  }

  /**
   * One live server subscription per store wakes the pollers as soon as any
   * process appends. It is only a hint: if it drops, polling still delivers.
   */
  private watchAppends(): void {
    if (this.appendWatch || this.closed) return;

    const watch = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    watch.on('confirmation', () => this.appendWatchBack());
    watch.on('data', () => this.appendSignal.notify());
    watch.on('error', (error: Error) => this.appendWatchLost(watch, error));
    watch.on('end', () => this.appendWatchLost(watch));
    this.appendWatch = watch;
  }

  private appendWatchBack(): void {
    if (this.appendWatchFailures > 0) {
      this.logger.log({
        msg: 'live $all subscription is back; subscriptions wake on appends again',
      });
    }
    this.appendWatchFailures = 0;
  }

  /** Warns once per outage, then retries with a growing delay. */
  private appendWatchLost(watch: AllStreamSubscription, error?: Error): void {
    if (this.appendWatch !== watch) return;
    this.appendWatch = undefined;
    if (this.closed) return;

    const retryInMs = Math.min(WATCH_RETRY_MAX_MS, WATCH_RETRY_MS * 2 ** this.appendWatchFailures);
    const entry = {
      msg: 'lost the live $all subscription; subscriptions poll every second until it is back',
      err: error,
      retryInMs,
    };
    if (this.appendWatchFailures === 0) this.logger.warn(entry);
    else this.logger.debug(entry);
    this.appendWatchFailures += 1;
    setTimeout(() => this.watchAppends(), retryInMs).unref();
  }
}

function eventIdsOf(events: NewEvent[]): string[] {
  return events.map((event) => event.eventId);
}

function toAppendResult(
  streamId: string,
  events: NewEvent[],
  stored: EsdbRecordedEvent[],
  alreadyAppended: boolean,
): AppendResult {
  const appended = stored.map((event, index) => ({
    eventId: event.id,
    type: events[index].type,
    revision: toRevisionNumber(event.revision),
    position: positionOf(event),
  }));
  return {
    streamId,
    nextExpectedRevision: appended[appended.length - 1].revision,
    alreadyAppended,
    events: appended,
  };
}

/**
 * A backwards read from past the stream's end may come back short or empty
 * (the server counts `maxCount` down from the revision asked for). When the
 * page neither starts at `from`, nor is full, nor reaches revision 0, the
 * start was past the end, and a read from the end gives the port's answer.
 */
export function startedPastTheEnd(
  page: readonly { revision: bigint }[],
  from: number,
  maxCount: number,
): boolean {
  if (page.length === 0) return from > 0;
  if (page.length >= maxCount) return false;
  return page[0].revision < BigInt(from) && page[page.length - 1].revision > 0n;
}
