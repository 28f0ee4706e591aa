import { Logger } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';

import { sleep } from '@observe/core';
import { advisoryKey, installSchema } from '@observe/database';
import {
  DeferredCheckpoint,
  EventStore,
  GlobalCheckpoint,
  RecordedEvent,
  Subscription,
} from '@observe/event-store';
import { CORRELATION_ID_HEADER, MessageBus, OutgoingMessage } from '@observe/messaging';

import {
  encodeIntegrationEvent,
  INTEGRATION_EVENT_HEADERS,
} from '../integration-events/integration-event';
import {
  IntegrationEventRegistry,
  LinkBuilder,
} from '../integration-events/integration-event-registry';
import { relayCheckpointsSchema } from './relay-checkpoints.schema';

export interface RelayWorkerOptions {
  /** Names the checkpoint and the advisory lock; never change it once deployed. */
  name: string;
  topic: string;
  /** Partitions the topic is created with when it does not exist. */
  partitions: number;
  batchSize: number;
  /**
   * How long to gather appends after a wake-up before relaying them: every
   * batch costs a publish and, downstream, a round trip to plan deliveries.
   */
  lingerMs?: number;
  /** How often a standby process tries for the lock. */
  standbyPollMs: number;
  /** First pause after a failed batch; doubles up to MAX_RETRY_DELAY_MS. */
  retryDelayMs: number;
  links: LinkBuilder;
}

export type RelayState = 'starting' | 'standby' | 'running' | 'stopped';

const MAX_RETRY_DELAY_MS = 30_000;
/**
 * How long an acknowledged position may stay unwritten. A crash re-sends at
 * most this much, with the same ids (the dispatcher creates each delivery
 * once); writing per batch would cost every append another statement.
 */
const CHECKPOINT_WRITE_DELAY_MS = 200;

/**
 * Relays domain events from the store's global stream to Kafka as
 * integration events. One process is active at a time (a session advisory
 * lock; the others stand by). The checkpoint moves only after the broker
 * acknowledged the batch, and is written on the lock's own session: a process
 * that lost its lock cannot move it. A crash between the two re-sends what
 * was acknowledged but not yet stored, with the same ids, so nothing is lost
 * and receivers can dedupe.
 */
export class RelayWorker {
  private readonly logger = new Logger(RelayWorker.name);
  private readonly abort = new AbortController();
  private lock?: QueryRunner;
  private subscription?: Subscription;
  private checkpoint?: DeferredCheckpoint;
  /** Events relayed since the stored checkpoint, added to its counter when it is written. */
  private unstoredCount = 0;
  private running?: Promise<void>;
  state: RelayState = 'starting';
  position: GlobalCheckpoint = 'start';

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    private readonly registry: IntegrationEventRegistry,
    private readonly options: RelayWorkerOptions,
  ) {}

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.logger.error({
        msg: 'relay stopped; restart the process',
        relay: this.name,
        err: error,
      });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.stop();
    await this.running;
    await this.checkpoint?.flush();
    await this.releaseLock();
    this.state = 'stopped';
  }

  get name(): string {
    return this.options.name;
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    await installSchema(this.dataSource, relayCheckpointsSchema);

    while (!this.stopping) {
      await this.acquireLock();
      if (this.stopping) return;

      await this.ensureTopic();
      await this.relayWhileLocked();
    }
  }

  /** Follows the store until stopped or the lock is lost; a failed batch goes again. */
  private async relayWhileLocked(): Promise<void> {
    let delay = this.options.retryDelayMs;
    while (!this.stopping) {
      this.position = await this.storedPosition();
      this.state = 'running';
      this.logger.log({
        msg: 'relaying from the checkpoint',
        relay: this.name,
        position: this.position,
      });

      const failure = await this.follow(this.position);
      if (this.stopping) return;

      if (!(await this.lockHeld())) {
        this.logger.warn({
          msg: 'relay lost its lock; trying for it again',
          relay: this.name,
          err: failure,
        });
        await this.releaseLock();
        return;
      }
      this.logger.warn({
        msg: 'relay batch not acknowledged; re-sending from the checkpoint',
        relay: this.name,
        position: this.position,
        retryInMs: delay,
        err: failure,
      });
      await sleep(delay, this.abort.signal);
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
    }
  }

  /** Resolves with the error that stopped the subscription, or undefined once stopped. */
  private follow(after: GlobalCheckpoint): Promise<unknown> {
    // A stop that came while the checkpoint was read has nothing to stop yet:
    // subscribing now would leave a subscription, and this promise, running.
    if (this.stopping) return Promise.resolve(undefined);
    this.checkpoint = new DeferredCheckpoint(
      {
        delayMs: CHECKPOINT_WRITE_DELAY_MS,
        write: (position, previous) => this.saveCheckpoint(position, previous),
        onError: (error) =>
          this.logger.warn({
            msg: 'could not store the relay checkpoint',
            relay: this.name,
            err: error,
          }),
      },
      after,
    );
    return new Promise((resolve) => {
      const stopped = (): void => resolve(undefined);
      this.abort.signal.addEventListener('abort', stopped, { once: true });
      this.subscription = this.store.subscribeToAll({
        after,
        filter: { eventTypes: this.registry.sourceTypes() },
        batchSize: this.options.batchSize,
        lingerMs: this.options.lingerMs,
        handle: (batch) => this.relay(batch.events, batch.checkpoint),
        onError: (error) => {
          this.abort.signal.removeEventListener('abort', stopped);
          resolve(error);
        },
      });
    });
  }

  private async relay(events: RecordedEvent[], checkpoint: GlobalCheckpoint): Promise<void> {
    const messages = events.flatMap((event) => this.toMessage(event));
    if (messages.length > 0) await this.bus.publish(this.options.topic, messages);

    this.unstoredCount += messages.length;
    this.position = checkpoint;
    this.checkpoint?.advance(checkpoint);
    if (messages.length > 0) {
      // A batch spans requests: name the first few of their correlation ids.
      const correlationIds = [...new Set(events.map((event) => event.metadata.correlationId))];
      this.logger.debug({
        msg: 'events relayed',
        relay: this.name,
        count: messages.length,
        position: checkpoint,
        correlationIds: correlationIds.slice(0, 10),
      });
    }
  }

  private toMessage(event: RecordedEvent): OutgoingMessage[] {
    const integrationEvent = this.registry.map(event, this.options.links);
    const correlationId = event.metadata.correlationId;
    if (!integrationEvent) {
      // Mapping is deterministic: a retry would fail the same way and stall every later event.
      this.logger.error({
        msg: 'event lacks what its integration event needs; not relayed',
        relay: this.name,
        eventId: event.eventId,
        eventType: event.type,
        streamId: event.streamId,
        correlationId,
      });
      return [];
    }

    return [
      {
        key: event.streamId,
        value: encodeIntegrationEvent(integrationEvent),
        headers: {
          [CORRELATION_ID_HEADER]: correlationId,
          [INTEGRATION_EVENT_HEADERS.eventId]: integrationEvent.id,
          [INTEGRATION_EVENT_HEADERS.eventType]: integrationEvent.type,
        },
      },
    ];
  }

  /** The broker may be down at boot: keep asking, the relay has nothing else to do. */
  private async ensureTopic(): Promise<void> {
    let delay = this.options.retryDelayMs;
    while (!this.stopping) {
      try {
        await this.bus.ensureTopic(this.options.topic, this.options.partitions);
        return;
      } catch (error) {
        this.logger.warn({
          msg: 'cannot create the relay topic yet; retrying',
          relay: this.name,
          topic: this.options.topic,
          retryInMs: delay,
          err: error,
        });
        await sleep(delay, this.abort.signal);
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }

  private async storedPosition(): Promise<GlobalCheckpoint> {
    const rows: Array<{ position: string }> = await this.lockSession().query(
      `INSERT INTO relay.checkpoints (name) VALUES ($1)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
       RETURNING position`,
      [this.name],
    );
    return rows[0]?.position ?? 'start';
  }

  private async saveCheckpoint(
    checkpoint: GlobalCheckpoint,
    previous: GlobalCheckpoint,
  ): Promise<void> {
    const relayed = this.unstoredCount;
    await this.lockSession().query(
      `UPDATE relay.checkpoints
          SET position = $2, events_relayed = events_relayed + $3, updated_at = now()
        WHERE name = $1 AND position = $4`,
      [this.name, checkpoint, relayed, previous],
    );
    this.unstoredCount -= relayed;
  }

  private lockSession(): QueryRunner {
    if (!this.lock || this.lock.isReleased) throw new Error(`relay ${this.name} holds no lock`);
    return this.lock;
  }

  private async acquireLock(): Promise<void> {
    const key = advisoryKey(`relay:${this.name}`);
    while (!this.stopping) {
      try {
        this.lock = this.lock ?? (await this.connect());
        const [{ locked }] = await this.lock.query('SELECT pg_try_advisory_lock($1) AS locked', [
          key,
        ]);
        if (locked) return;
      } catch (error) {
        this.logger.warn({
          msg: 'cannot reach the database for the relay lock',
          relay: this.name,
          err: error,
        });
        await this.releaseLock();
      }
      if (this.state !== 'standby') {
        this.logger.log({ msg: 'relay active in another process; standing by', relay: this.name });
      }
      this.state = 'standby';
      await sleep(this.options.standbyPollMs, this.abort.signal);
    }
  }

  private async connect(): Promise<QueryRunner> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    return runner;
  }

  /** A session lock lives as long as its session; a session that answers still holds it. */
  private async lockHeld(): Promise<boolean> {
    try {
      await this.lockSession().query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async releaseLock(): Promise<void> {
    const connection = this.lock;
    this.lock = undefined;
    if (!connection || connection.isReleased) return;
    // The session goes back to the pool, so the lock is dropped explicitly.
    await connection
      .query('SELECT pg_advisory_unlock($1)', [advisoryKey(`relay:${this.name}`)])
      .catch(() => undefined);
    await connection.release().catch(() => undefined);
  }
}
