import { Logger } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';

import { sleep } from '@observe/core';
import { advisoryKey, inFoldedTransaction, installSchema } from '@observe/database';
import {
  DeferredCheckpoint,
  EventStore,
  GlobalCheckpoint,
  RecordedEvent,
  Subscription,
} from '@observe/event-store';

import { Projection, ProjectionState } from './projection';

export interface ProjectionWorkerOptions {
  maxRetries: number;
  retryDelayMs: number;
  batchSize: number;
  standbyPollMs: number;
}

class ProjectionHalted extends Error {}

const CHECKPOINT_WRITE_DELAY_MS = 1_000;

/**
 * Runs one projection: holds its advisory lock (one active instance across
 * processes), applies batches with the checkpoint in the same transaction,
 * retries a failing batch, then pins the failing event and halts visibly.
 */
export class ProjectionWorker {
  private readonly logger = new Logger(ProjectionWorker.name);
  private readonly abort = new AbortController();
  private lockConnection?: QueryRunner;
  private subscription?: Subscription;
  private running?: Promise<void>;
  /** Readers waiting for this worker to pass a position, woken by the batch that does. */
  private readonly positionWaiters = new Set<{ position: GlobalCheckpoint; wake: () => void }>();
  state: ProjectionState = 'starting';
  position: GlobalCheckpoint = 'start';
  /**
   * A batch with nothing for this projection moves the checkpoint in memory
   * at once and in the table within a second: replaying those events after a
   * crash changes nothing.
   */
  private readonly checkpoint = new DeferredCheckpoint(
    {
      delayMs: CHECKPOINT_WRITE_DELAY_MS,
      write: (position, previous) => this.writeCheckpoint(position, previous),
      onError: (error) =>
        this.logger.warn({
          msg: 'could not store a checkpoint',
          projection: this.name,
          err: error,
        }),
    },
    'start',
  );

  constructor(
    readonly projection: Projection,
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly options: ProjectionWorkerOptions,
  ) {}

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.logger.error({ msg: 'projection worker crashed', projection: this.name, err: error });
    });
  }

  get name(): string {
    return this.projection.name;
  }

  /**
   * Resolves once a committed batch has taken the worker to `position` or
   * past it, or after `ms` at the latest: callers then look at its state.
   */
  waitUntilPassed(position: GlobalCheckpoint, ms: number): Promise<void> {
    if (this.store.comparePositions(this.position, position) >= 0) return Promise.resolve();

    return new Promise((resolve) => {
      const waiter = {
        position,
        wake: (): void => {
          clearTimeout(timer);
          this.positionWaiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, ms);
      this.positionWaiters.add(waiter);
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.stop();
    await this.running;
    await this.checkpoint.flush();
    await this.releaseLock();
    if (this.state !== 'halted') this.state = 'stopped';
  }

  /** Empties the read model and replays from the start, under the lock. */
  async rebuild(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;

    await this.dataSource.transaction(async (manager) => {
      for (const table of this.projection.tables) await manager.query(`TRUNCATE ${table}`);
      await manager.query(
        `UPDATE projections.checkpoints
            SET position = 'start', state = 'running', last_error = NULL, failed_event_id = NULL,
                rebuild_requested = false, events_applied = 0, updated_at = now()
          WHERE name = $1`,
        [this.name],
      );
    });
    this.logger.log({ msg: 'projection rebuild started', projection: this.name });
    this.checkpoint.reset('start');
    this.position = 'start';
    this.state = 'running';
    this.subscribe();
  }

  private async run(): Promise<void> {
    await installSchema(this.dataSource, this.projection.schema);
    await this.acquireLock();
    if (this.abort.signal.aborted) return;

    const [row] = await this.dataSource.query(
      `INSERT INTO projections.checkpoints (name) VALUES ($1)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
       RETURNING position, state, rebuild_requested`,
      [this.name],
    );
    if (row.rebuild_requested) {
      await this.rebuild();
    } else if (row.state === 'halted') {
      // A halted projection stays halted until an operator rebuilds or resumes it.
      this.state = 'halted';
      this.position = row.position;
      this.logger.warn({
        msg: 'projection is halted; rebuild it to resume',
        projection: this.name,
      });
    } else {
      this.position = row.position;
      this.checkpoint.reset(row.position);
      this.state = 'running';
      this.subscribe();
    }
    await this.watchForRebuildRequests();
  }

  private async acquireLock(): Promise<void> {
    const key = advisoryKey(`projection:${this.name}`);
    this.lockConnection = this.dataSource.createQueryRunner();
    await this.lockConnection.connect();

    while (!this.abort.signal.aborted) {
      const [{ locked }] = await this.lockConnection.query(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [key],
      );
      if (locked) return;
      if (this.state !== 'standby') {
        this.logger.log({ msg: 'projection active elsewhere; standing by', projection: this.name });
      }
      this.state = 'standby';
      await sleep(this.options.standbyPollMs, this.abort.signal);
    }
  }

  private async releaseLock(): Promise<void> {
    const connection = this.lockConnection;
    this.lockConnection = undefined;
    if (!connection || connection.isReleased) return;
    // The session goes back to the pool, so the lock must be dropped explicitly.
    await connection
      .query('SELECT pg_advisory_unlock($1)', [advisoryKey(`projection:${this.name}`)])
      .catch(() => undefined);
    await connection.release().catch(() => undefined);
  }

  /** An operator (the CLI) may ask for a rebuild while this process holds the lock. */
  private async watchForRebuildRequests(): Promise<void> {
    while (!this.abort.signal.aborted) {
      await sleep(this.options.standbyPollMs, this.abort.signal);
      if (this.abort.signal.aborted) return;

      const rows = await this.dataSource
        .query(`SELECT rebuild_requested FROM projections.checkpoints WHERE name = $1`, [this.name])
        .catch(() => []);
      if (rows[0]?.rebuild_requested) await this.rebuild();
    }
  }

  private subscribe(): void {
    // A stop during start found no subscription to stop: start none after it.
    if (this.abort.signal.aborted) return;
    this.subscription = this.store.subscribeToAll({
      after: this.position,
      filter: this.projection.filter,
      batchSize: this.options.batchSize,
      handle: async (batch) => this.applyWithRetries(batch.events, batch.checkpoint),
      onError: (error) => {
        if (!(error instanceof ProjectionHalted)) {
          void this.halt(error);
        }
      },
    });
  }

  private async applyWithRetries(
    events: RecordedEvent[],
    checkpoint: GlobalCheckpoint,
  ): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt += 1) {
      try {
        await this.commit(events, checkpoint);
        return;
      } catch (error) {
        lastError = error;
        if (this.abort.signal.aborted) throw error;
        this.logger.warn({
          msg: 'projection batch failed; retrying',
          projection: this.name,
          attempt: attempt + 1,
          err: error,
        });
        await sleep(this.options.retryDelayMs * 2 ** attempt, this.abort.signal);
      }
    }

    // Pin the event that fails: apply one by one, committing those that pass.
    for (const event of events) {
      try {
        await this.commit([event], event.position);
      } catch (error) {
        await this.halt(error, event);
        throw new ProjectionHalted(this.name);
      }
    }
    if (events.length === 0) {
      await this.halt(lastError);
      throw new ProjectionHalted(this.name);
    }
    await this.commit([], checkpoint);
  }

  private async commit(events: RecordedEvent[], checkpoint: GlobalCheckpoint): Promise<void> {
    if (events.length === 0) {
      this.checkpoint.advance(checkpoint);
      this.advance(checkpoint);
      return;
    }

    this.checkpoint.cancel();
    // The commit need not wait for its WAL flush: a read model is rebuilt from
    // the events, and a crash that loses this commit loses the checkpoint with
    // it, so the batch is applied again. It is visible to readers at commit
    // all the same. The checkpoint goes first, with BEGIN.
    const moveCheckpoint = {
      sql: `SELECT projections.move_checkpoint($1, $2, $3)`,
      values: [this.name, checkpoint, events.length],
    };
    const { writes, apply } = this.projection;
    await inFoldedTransaction(this.dataSource, async (transaction) => {
      if (writes) {
        await transaction.all([moveCheckpoint, ...writes.call(this.projection, events)]);
        return;
      }
      await transaction.first(moveCheckpoint.sql, moveCheckpoint.values);
      await apply?.call(this.projection, events, transaction.runner.manager);
    });
    this.checkpoint.storedBy(checkpoint);
    this.advance(checkpoint);
  }

  private advance(checkpoint: GlobalCheckpoint): void {
    this.position = checkpoint;
    for (const waiter of this.positionWaiters) {
      if (this.store.comparePositions(checkpoint, waiter.position) >= 0) waiter.wake();
    }
  }

  private async writeCheckpoint(position: GlobalCheckpoint, previous: GlobalCheckpoint) {
    if (this.state === 'halted') return;
    await this.dataSource.query(
      `UPDATE projections.checkpoints SET position = $2, updated_at = now()
        WHERE name = $1 AND position = $3`,
      [this.name, position, previous],
    );
  }

  private async halt(error: unknown, event?: RecordedEvent): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error({
      msg: 'projection halted; fix the cause, then rebuild it',
      projection: this.name,
      eventId: event?.eventId,
      eventType: event?.type,
      position: event?.position,
      err: error,
    });
    await this.dataSource
      .query(
        `UPDATE projections.checkpoints
            SET state = 'halted', last_error = $2, failed_event_id = $3, updated_at = now()
          WHERE name = $1`,
        [this.name, message, event?.eventId ?? null],
      )
      .catch((failure: unknown) =>
        this.logger.error({ msg: 'could not record halt', projection: this.name, err: failure }),
      );
    this.state = 'halted';
  }
}
