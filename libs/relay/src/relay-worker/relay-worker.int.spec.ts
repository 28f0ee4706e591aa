import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { installSchema, Transactions } from '@observe/database';
import {
  EventStore,
  NewEvent,
  PostgresEventStore,
  postgresEventStoreSchema,
} from '@observe/event-store';
import {
  ConsumerHandle,
  IncomingMessage,
  InProcessMessageBus,
  KafkaMessageBus,
  MessageBus,
  OutgoingMessage,
  SubscribeOptions,
} from '@observe/messaging';

import { createTestDatabase } from '../../../../test/support/test-database';
import { decodeIntegrationEvent } from '../integration-events/integration-event';
import {
  IntegrationEventRegistry,
  linkBuilder,
} from '../integration-events/integration-event-registry';
import { RelayWorker } from './relay-worker';

const kafka = process.env.TEST_KAFKA_BROKERS;

/** One relay "process": its own pool, store, bus and worker, named so its sessions can die. */
interface RelayProcess {
  name: string;
  dataSource: DataSource;
  store: EventStore;
  worker: RelayWorker;
  bus: MessageBus;
}

/**
 * Publishes for real, then freezes after the first acknowledged batch: the
 * process is as good as dead between produce and checkpoint.
 */
class FreezingBus extends MessageBus {
  acknowledged: OutgoingMessage[] = [];
  private thaw?: (error: Error) => void;
  readonly frozen: Promise<void>;
  private markFrozen: () => void = () => undefined;

  constructor(private readonly inner: MessageBus) {
    super();
    this.frozen = new Promise((resolve) => (this.markFrozen = resolve));
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.inner.publish(topic, messages);
    this.acknowledged.push(...messages);
    this.markFrozen();
    return new Promise((_resolve, reject) => (this.thaw = reject));
  }

  /** Lets the frozen call fail, so the dead process's code can unwind at the end of the test. */
  release(): void {
    this.thaw?.(new Error('the process was killed'));
  }

  subscribe(options: SubscribeOptions): Promise<ConsumerHandle> {
    return this.inner.subscribe(options);
  }

  ensureTopic(topic: string, partitions: number): Promise<void> {
    return this.inner.ensureTopic(topic, partitions);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function incidentOpened(): { streamId: string; event: NewEvent } {
  const incidentId = randomUUID();
  return {
    streamId: `incident-${incidentId}`,
    event: {
      eventId: randomUUID(),
      type: 'IncidentOpened',
      schemaVersion: 1,
      data: { incidentId, sequence: 1, service: 'checkout', title: 'Disk full', severity: 'error' },
      metadata: {
        actor: { kind: 'system', name: 'relay-test' },
        correlationId: randomUUID(),
        occurredAt: new Date().toISOString(),
      },
    },
  };
}

async function eventually(
  probe: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('RelayWorker stopping', () => {
  it('stops when told to while it is still starting, wherever it is', async () => {
    const databaseUrl = await createTestDatabase('relay_stop_early');
    const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
    await installSchema(dataSource, postgresEventStoreSchema);
    const store = new PostgresEventStore({
      transactions: new Transactions(dataSource),
      listenUrl: databaseUrl,
    });
    const bus = new InProcessMessageBus();
    try {
      // Each stop lands at another step of the start: lock, topic, checkpoint, subscribe.
      for (let delayMs = 0; delayMs < 30; delayMs += 1) {
        const worker = new RelayWorker(store, dataSource, bus, new IntegrationEventRegistry(), {
          name: 'integration-events',
          topic: 'relay-stop-early',
          partitions: 1,
          batchSize: 100,
          standbyPollMs: 100,
          retryDelayMs: 100,
          links: linkBuilder(),
        });
        worker.start();
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        await worker.stop();
        expect(worker.state).toBe('stopped');
      }
    } finally {
      await bus.close();
      await store.close();
      await dataSource.destroy();
    }
  });
});

(kafka ? describe : describe.skip)('RelayWorker against PostgreSQL and Kafka', () => {
  const topic = `relay-int-${randomUUID().slice(0, 8)}`;
  const registry = new IntegrationEventRegistry();
  const processes: RelayProcess[] = [];
  let databaseUrl: string;
  let admin: DataSource;
  let consumerBus: KafkaMessageBus;
  let consumer: ConsumerHandle;
  const consumed: IncomingMessage[] = [];

  async function startRelay(name: string, wrap: (bus: MessageBus) => MessageBus = (bus) => bus) {
    const dataSource = await new DataSource({
      type: 'postgres',
      url: databaseUrl,
      extra: { max: 4, application_name: name },
    }).initialize();
    await installSchema(dataSource, postgresEventStoreSchema);
    const store = new PostgresEventStore({
      transactions: new Transactions(dataSource),
      listenUrl: `${databaseUrl}?application_name=${name}`,
    });
    const bus = wrap(new KafkaMessageBus({ brokers: [kafka ?? ''], clientId: name }));
    const worker = new RelayWorker(store, dataSource, bus, registry, {
      name: 'integration-events',
      topic,
      partitions: 3,
      batchSize: 100,
      standbyPollMs: 100,
      retryDelayMs: 100,
      links: linkBuilder(),
    });
    const process = { name, dataSource, store, worker, bus };
    processes.push(process);
    worker.start();
    return process;
  }

  /** What dying does to a process, as PostgreSQL sees it: its sessions end, its locks go. */
  async function kill(process: RelayProcess): Promise<void> {
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
      [process.name],
    );
  }

  async function append(count: number): Promise<string[]> {
    const store = processes[processes.length - 1]?.store;
    if (!store) throw new Error('start a relay first');
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const { streamId, event } = incidentOpened();
      await store.append(streamId, [event], { expectedRevision: 'no_stream' });
      ids.push(event.eventId);
    }
    return ids;
  }

  const consumedIds = () => consumed.map((message) => decodeIntegrationEvent(message.value).id);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('relay_crash');
    admin = await new DataSource({
      type: 'postgres',
      url: databaseUrl,
      extra: { max: 2 },
    }).initialize();
    consumerBus = new KafkaMessageBus({ brokers: [kafka ?? ''], clientId: 'relay-test-consumer' });
    await consumerBus.ensureTopic(topic, 3);
    consumer = await consumerBus.subscribe({
      topic,
      groupId: `${topic}.observer`,
      fromBeginning: true,
      handle: async (message) => {
        consumed.push(message);
        return 'done';
      },
    });
  });

  afterAll(async () => {
    for (const process of processes) {
      if (process.bus instanceof FreezingBus) process.bus.release();
      await process.worker.stop().catch(() => undefined);
      await process.bus.close().catch(() => undefined);
      await process.store.close().catch(() => undefined);
      await process.dataSource.destroy().catch(() => undefined);
    }
    await consumer?.stop();
    await consumerBus?.close();
    await admin?.destroy();
  });

  it('re-sends what was produced, not checkpointed, when the relay dies: same ids', async () => {
    let freezing: FreezingBus | undefined;
    const victim = await startRelay('relay-victim', (bus) => (freezing = new FreezingBus(bus)));
    await eventually(() => victim.worker.state === 'running', 'the victim to take the lock');
    const standby = await startRelay('relay-standby');
    await eventually(() => standby.worker.state === 'standby', 'the second relay to stand by');
    if (!freezing) throw new Error('no freezing bus');
    const first = await append(5);

    await freezing.frozen;
    const [checkpoint] = await admin.query(`SELECT position FROM relay.checkpoints`);
    await kill(victim);
    const later = await append(3);
    await eventually(
      () => new Set(consumedIds()).size >= 8,
      'every event, once the standby took over',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const ids = consumedIds();
    const acknowledgedBeforeDeath = freezing.acknowledged.map(
      (message) => decodeIntegrationEvent(message.value).id,
    );
    expect(checkpoint.position).toBe('start');
    expect(new Set(ids)).toEqual(new Set([...first, ...later]));
    expect(acknowledgedBeforeDeath.length).toBeGreaterThan(0);
    for (const id of acknowledgedBeforeDeath) {
      // Sent before the death and again by the standby: a duplicate with the same id.
      expect(ids.filter((candidate) => candidate === id)).toHaveLength(2);
    }
    for (const id of later) expect(ids.filter((candidate) => candidate === id)).toHaveLength(1);
    expect(standby.worker.state).toBe('running');
  });

  it('carries event id, type and correlation id in Kafka headers, keyed by stream', async () => {
    const message = consumed[consumed.length - 1];
    if (!message) throw new Error('nothing consumed');
    const event = decodeIntegrationEvent(message.value);

    expect(message.headers['event-id']).toBe(event.id);
    expect(message.headers['event-type']).toBe('incident.opened');
    expect(message.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(message.key).toBe(`incident-${String(event.data.incidentId)}`);
  });
});
