import { Logger } from '@nestjs/common';
import { EntityManager, QueryRunner } from 'typeorm';

import { sleep } from '@observe/core';
import { advisoryKey, Transactions } from '@observe/database';
import {
  DeferredCheckpoint,
  EventFilter,
  EventStore,
  GlobalCheckpoint,
  RecordedEvent,
  Subscription,
} from '@observe/event-store';

/** What a feed does with the events it follows. */
export interface FeedConsumer {
  /** Names the checkpoint and the advisory lock; never change it once deployed. */
  readonly name: string;
  readonly filter: EventFilter;
  /** Runs inside the transaction that also moves the checkpoint: all or nothing. */
  apply(events: RecordedEvent[], manager: EntityManager): Promise<void>;
}

export interface FeedOptions {
  /** How often a standby process tries for the lock. */
  standbyPollMs: number;
  /** First pause after a failed batch; doubles up to a minute. */
  retryDelayMs: number;
  batchSize: number;
}

const DEFAULTS: FeedOptions = { standbyPollMs: 2_000, retryDelayMs: 500, batchSize: 200 };
const MAX_RETRY_DELAY_MS = 60_000;
const CHECKPOINT_WRITE_DELAY_MS = 1_000;

/**
 * A checkpointed subscription for a worker: one active process at a time
 * (session advisory lock, the others stand by), each batch applied in the
 * transaction that stores the checkpoint, so a crash or restart replays
 * nothing twice and skips nothing. A failing batch is retried from the
 * stored checkpoint with a growing pause; the feed never skips it.
 */
export class CheckpointedFeed {
  private readonly logger = new Logger(CheckpointedFeed.name);
  private readonly abort = new AbortController();
  private readonly options: FeedOptions;
  private retryDelay: number;
  private lock?: QueryRunner;
  private subscription?: Subscription;
  private checkpoint?: DeferredCheckpoint;
  private running?: Promise<void>;
  active = false;

  constructor(
    private readonly consumer: FeedConsumer,
    private readonly store: EventStore,
    private readonly transactions: Transactions,
    options: Partial<FeedOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.retryDelay = this.options.retryDelayMs;
  }

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.logger.error({ msg: 'feed stopped; restart the process', feed: this.name, err: error });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.stop();
    await this.running;
    await this.checkpoint?.flush();
    await this.releaseLock();
    this.active = false;
  }

  get name(): string {
    return this.consumer.name;
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        if (!this.lock) await this.acquireLock();
        if (this.abort.signal.aborted) return;

        const position = await this.storedPosition();
        this.active = true;
        const failure = await this.follow(position);
        if (this.abort.signal.aborted) return;
        this.logger.warn({
          msg: 'feed batch failed; retrying from the stored checkpoint',
          feed: this.name,
          retryInMs: this.retryDelay,
          err: failure,
        });
      } catch (error) {
        // The database went away under us: start over, lock included.
        this.logger.warn({ msg: 'feed interrupted; retrying', feed: this.name, err: error });
        this.active = false;
        await this.releaseLock();
      }
      await sleep(this.retryDelay, this.abort.signal);
      this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_DELAY_MS);
    }
  }

  /** Follows the store until a batch fails (resolving with the error) or the feed stops. */
  private follow(after: GlobalCheckpoint): Promise<unknown> {
    // A stop that came while the checkpoint was read has nothing to stop yet:
    // subscribing now would leave a subscription, and this promise, running.
    if (this.abort.signal.aborted) return Promise.resolve(undefined);
    // Batches with nothing for this feed move the checkpoint lazily: replaying
    // them changes nothing, and every other batch stores it with its work.
    this.checkpoint = new DeferredCheckpoint(
      {
        delayMs: CHECKPOINT_WRITE_DELAY_MS,
        write: (position, previous) =>
          this.transactions.dataSource.query(
            `INSERT INTO operations.feed_checkpoints AS stored (name, position, updated_at)
             VALUES ($1, $2, now())
             ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
              WHERE stored.position = $3`,
            [this.name, position, previous],
          ),
        onError: (error) =>
          this.logger.warn({ msg: 'could not store a checkpoint', feed: this.name, err: error }),
      },
      after,
    );
    return new Promise((resolve) => {
      const stopped = (): void => resolve(undefined);
      this.abort.signal.addEventListener('abort', stopped, { once: true });
      this.subscription = this.store.subscribeToAll({
        after,
        filter: this.consumer.filter,
        batchSize: this.options.batchSize,
        handle: (batch) => this.commit(batch.events, batch.checkpoint),
        onError: (error) => {
          this.abort.signal.removeEventListener('abort', stopped);
          resolve(error);
        },
      });
    });
  }

  private async commit(events: RecordedEvent[], checkpoint: GlobalCheckpoint): Promise<void> {
    if (events.length === 0) {
      this.checkpoint?.advance(checkpoint);
      return;
    }

    this.checkpoint?.cancel();
    await this.transactions.run(async (manager) => {
      await this.consumer.apply(events, manager);
      await manager.query(
        `INSERT INTO operations.feed_checkpoints (name, position, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
        [this.name, checkpoint],
      );
    });
    this.checkpoint?.storedBy(checkpoint);
    this.retryDelay = this.options.retryDelayMs;
  }

  private async storedPosition(): Promise<GlobalCheckpoint> {
    const rows: Array<{ position: string }> = await this.transactions.dataSource.query(
      `SELECT position FROM operations.feed_checkpoints WHERE name = $1`,
      [this.name],
    );
    return rows[0]?.position ?? 'start';
  }

  private async acquireLock(): Promise<void> {
    const key = advisoryKey(`feed:${this.name}`);
    const lock = this.transactions.dataSource.createQueryRunner();
    await lock.connect();
    this.lock = lock;

    let announced = false;
    while (!this.abort.signal.aborted) {
      const [{ locked }] = await this.lock.query('SELECT pg_try_advisory_lock($1) AS locked', [
        key,
      ]);
      if (locked) return;
      if (!announced) {
        this.logger.log({ msg: 'feed active in another process; standing by', feed: this.name });
        announced = true;
      }
      await sleep(this.options.standbyPollMs, this.abort.signal);
    }
  }

  private async releaseLock(): Promise<void> {
    const connection = this.lock;
    this.lock = undefined;
    if (!connection || connection.isReleased) return;
    // The session returns to the pool, so the lock is dropped explicitly.
    await connection
      .query('SELECT pg_advisory_unlock($1)', [advisoryKey(`feed:${this.name}`)])
      .catch(() => undefined);
    await connection.release().catch(() => undefined);
  }
}
