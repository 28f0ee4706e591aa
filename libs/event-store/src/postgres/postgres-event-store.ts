import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { Client } from 'pg';

import { preparedQuery, sqlStateOf, Transactions } from '@observe/database';

import { EventData, NewEvent, RecordedEvent } from '../event-envelope';
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
import { AppendSignal, startPollingSubscription } from '../polling-subscription';
import { UpcasterRegistry } from '../upcasters';
import { EVENTS_APPENDED_CHANNEL } from './postgres-event-store.schema';
import { comparePostgresPositions, formatPosition, parsePosition } from './postgres-position';
import { RecentEvents } from './recent-events';

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  schema_version: number;
  data: EventData;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
}

interface AppendRow {
  event_id: string;
  stream_revision: string;
  transaction_id: string;
  global_position: string;
  already_appended: boolean;
}

export interface PostgresEventStoreOptions {
  transactions: Transactions;
  /** Connection string for the LISTEN connection that wakes subscriptions. */
  listenUrl: string;
  upcasters?: UpcasterRegistry;
}

const COLUMNS = `global_position, transaction_id, event_id, stream_id, stream_revision, type,
  schema_version, data, metadata, recorded_at`;

const ERROR_WRONG_REVISION = 'EV001';
/** Under load, other processes are told of appends at most once per this long. */
const NOTIFY_WINDOW_MS = 20;
/** Enough for every subscription of a busy process to trail the head within it. */
const RECENT_EVENTS = 2_000;

/**
 * The default event store. Appends join the ambient transaction when there is
 * one, so a request's events, idempotency record and quota commit together.
 */
export class PostgresEventStore extends EventStore {
  private readonly logger = new Logger(PostgresEventStore.name);
  private readonly upcasters: UpcasterRegistry;
  private readonly appendSignal = new AppendSignal();
  private listener?: Promise<Client>;
  private closed = false;
  private notifyTimer?: NodeJS.Timeout;
  /** Appends made since the last NOTIFY, while its window is open. */
  private unannounced = false;
  private readonly pagesInFlight = new Map<string, Promise<RecordedEvent[]>>();
  private readonly recent = new RecentEvents(comparePostgresPositions, RECENT_EVENTS);
  /** Sent with each NOTIFY, so this store's own announcements do not wake it twice. */
  private readonly instanceId = randomUUID();

  constructor(private readonly options: PostgresEventStoreOptions) {
    super();
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
  }

  async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    assertValidStreamId(streamId);
    assertValidEvents(events);

    const rows = await this.callAppend(streamId, events, options).catch(async (error: unknown) => {
      // A retry whose ids are stored, under `any`: answer it as the earlier append.
      if (isEventIdClash(error) && !this.options.transactions.inTransaction()) {
        const stored = await this.storedAppend(streamId, events);
        if (stored) return stored;
      }
      throw this.translateAppendError(error, streamId, options);
    });

    if (!rows.every((row) => row.already_appended)) {
      this.options.transactions.afterCommit(() => this.announceAppend());
    }

    const last = rows[rows.length - 1];
    return {
      streamId,
      nextExpectedRevision: Number(last.stream_revision),
      alreadyAppended: rows.every((row) => row.already_appended),
      events: rows.map((row, index) => ({
        eventId: row.event_id,
        type: events[index].type,
        revision: Number(row.stream_revision),
        position: formatPosition(row.transaction_id, row.global_position),
      })),
    };
  }

  private callAppend(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendRow[]> {
    const expected = options.expectedRevision;
    if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
      throw new InvalidEventError('an exact expected revision is a whole number from 0');
    }

    return this.options.transactions.current().query(
      `SELECT * FROM event_store.append_events($1, $2, $3::uuid[], $4::text[], $5::int[],
         $6::jsonb, $7::jsonb)`,
      [
        streamId,
        String(expected),
        events.map((event) => event.eventId),
        events.map((event) => event.type),
        events.map((event) => event.schemaVersion),
        JSON.stringify(events.map((event) => event.data)),
        JSON.stringify(events.map((event) => event.metadata)),
      ],
    );
  }

  private translateAppendError(error: unknown, streamId: string, options: AppendOptions): unknown {
    if (sqlStateOf(error) === ERROR_WRONG_REVISION) {
      const driverError = (error as { driverError?: { message?: string } }).driverError;
      const actual = Number(driverError?.message ?? (error as Error).message);
      return new WrongExpectedRevisionError(streamId, options.expectedRevision, actual);
    }
    // Ids stored by another append (a retry of this one was answered above).
    if (isEventIdClash(error)) {
      return new InvalidEventError('some event ids of this append are already stored', [
        { field: 'eventId', message: 'already used by another append' },
      ]);
    }
    return error;
  }

  /** The rows of an earlier append with exactly these ids on this stream, if there was one. */
  private async storedAppend(
    streamId: string,
    events: NewEvent[],
  ): Promise<AppendRow[] | undefined> {
    const rows: Array<AppendRow & { stream_id: string }> =
      await this.options.transactions.dataSource.query(
        `SELECT event_id, stream_revision, transaction_id, global_position, stream_id,
              true AS already_appended
         FROM event_store.events WHERE event_id = ANY($1::uuid[]) ORDER BY stream_revision`,
        [events.map((event) => event.eventId)],
      );
    const complete =
      rows.length === events.length && rows.every((row) => row.stream_id === streamId);
    return complete ? rows : undefined;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const maxCount = options.maxCount ?? 1_000;
    const forwards = direction === 'forwards';
    const from = options.fromRevision ?? (forwards ? 0 : Number.MAX_SAFE_INTEGER);

    const rows: EventRow[] = await this.options.transactions.current().query(
      `SELECT ${COLUMNS} FROM event_store.events
        WHERE stream_id = $1 AND stream_revision ${forwards ? '>=' : '<='} $2
        ORDER BY stream_revision ${forwards ? 'ASC' : 'DESC'}
        LIMIT $3`,
      [streamId, from, maxCount],
    );
    return rows.map((row) => this.toRecorded(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? 'start';
    const maxCount = options.maxCount ?? 1_000;
    const generation = this.appendSignal.generation;

    const recent = this.recent.read(after, maxCount, generation);
    const events = recent?.events ?? (await this.readPage(after, maxCount));
    // From memory, the end is only the end when nothing was announced since
    // that stretch was read; else the reader asks the database next.
    const isEnd = recent ? recent.reachesTail : events.length < maxCount;

    const last = events[events.length - 1];
    return {
      events: events.filter((event) => matchesFilter(event, options.filter)),
      checkpoint: last ? last.position : after,
      isEnd,
    };
  }

  /**
   * One query for every reader asking for the same page at the same time. The
   * subscriptions of a process (projections, workers) sit at the same head
   * and wake together on an append: they share one read instead of one each.
   */
  private readPage(after: GlobalCheckpoint, maxCount: number): Promise<RecordedEvent[]> {
    const key = `${after}|${maxCount}`;
    const inFlight = this.pagesInFlight.get(key);
    if (inFlight) return inFlight;

    const position = parsePosition(after);
    const generation = this.appendSignal.generation;
    // On a connection of the pool, outside any ambient transaction: a reader
    // must not count its own xid.
    const page = preparedQuery<EventRow>(
      this.options.transactions.dataSource,
      'event_store_read_all',
      `SELECT ${COLUMNS} FROM event_store.events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      [position.transactionId.toString(), position.globalPosition.toString(), maxCount],
    )
      .then((rows) => {
        const events = rows.map((row) => this.toRecorded(row));
        this.recent.record(after, events, events.length < maxCount, generation);
        return events;
      })
      .finally(() => this.pagesInFlight.delete(key));
    this.pagesInFlight.set(key, page);
    return page;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.ensureListener().catch((error: unknown) => {
      this.logger.warn({ msg: 'cannot LISTEN for appends; subscriptions poll', err: error });
      this.listener = undefined;
    });
    return startPollingSubscription(
      { readAll: (read) => this.readAll(read), appends: this.appendSignal },
      options,
    );
  }

  comparePositions(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
    return comparePostgresPositions(a, b);
  }

  async ping(): Promise<void> {
    await this.options.transactions.dataSource.query('SELECT 1 FROM event_store.streams LIMIT 1');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.notifyTimer);
    this.appendSignal.notify();
    const listener = await this.listener?.catch(() => undefined);
    await listener?.end().catch(() => undefined);
  }

  /**
   * Wakes this process's subscriptions at once, and other processes through
   * NOTIFY: the first append after a quiet spell at once, those that follow
   * within the window together at its end. A busy writer pays one statement
   * per window, not one per append.
   */
  private announceAppend(): void {
    this.appendSignal.notify();
    if (this.closed) return;
    if (this.notifyTimer) {
      this.unannounced = true;
      return;
    }

    this.notifyOtherProcesses();
  }

  private notifyOtherProcesses(): void {
    this.unannounced = false;
    void preparedQuery(
      this.options.transactions.dataSource,
      'event_store_announce',
      `SELECT pg_notify('${EVENTS_APPENDED_CHANNEL}', $1)`,
      [this.instanceId],
    ).catch((error: unknown) =>
      this.logger.warn({ msg: 'could not announce appends; readers will poll', err: error }),
    );
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      if (this.unannounced && !this.closed) this.notifyOtherProcesses();
    }, NOTIFY_WINDOW_MS);
  }

  private ensureListener(): Promise<Client> {
    this.listener ??= this.listen();
    return this.listener;
  }

  /** One LISTEN connection per store; it only wakes pollers early. */
  private async listen(): Promise<Client> {
    const client = new Client({ connectionString: this.options.listenUrl });
    client.on('notification', (message) => {
      if (message.payload !== this.instanceId) this.appendSignal.notify();
    });
    client.on('error', (error) => {
      this.logger.warn({
        msg: 'append listener lost; subscriptions fall back to polling',
        err: error,
      });
      this.listener = undefined;
      if (!this.closed) setTimeout(() => void this.ensureListener(), 1_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_APPENDED_CHANNEL}`);
    return client;
  }

  private toRecorded(row: EventRow): RecordedEvent {
    return this.upcasters.apply({
      eventId: row.event_id,
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      streamId: row.stream_id,
      revision: Number(row.stream_revision),
      position: formatPosition(row.transaction_id, row.global_position),
      recordedAt: row.recorded_at.toISOString(),
    });
  }
}

function isEventIdClash(error: unknown): boolean {
  const driverError = (error as { driverError?: { constraint?: string } }).driverError;
  const constraint = (error as { constraint?: string }).constraint ?? driverError?.constraint;
  return sqlStateOf(error) === '23505' && constraint === 'events_event_id_unique';
}
