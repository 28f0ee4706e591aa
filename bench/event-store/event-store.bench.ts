import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { createDataSource, installSchema, Transactions } from '@observe/database';
import {
  NewEvent,
  PostgresEventStore,
  postgresEventStoreSchema,
  RecordedEvent,
} from '@observe/event-store';
import { Projection, ProjectionRunner } from '@observe/projections';

import { formatRate, openBenchDatabase } from '../support/bench-database';

/**
 * Event store throughput beside a baseline on the same PostgreSQL in the same
 * run: plain single-statement INSERTs of the same rows into a table of the
 * same shape and indexes (same durability), and a plain ordered SELECT.
 */
const SINGLE_APPENDS = Number(process.env.BENCH_SINGLE_APPENDS ?? 3_000);
const CONCURRENT_WRITERS = 16;
const CONCURRENT_APPENDS = Number(process.env.BENCH_CONCURRENT_APPENDS ?? 8_000);
const READ_EVENTS = 100_000;

function event(index: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'IncidentUpdatePosted',
    schemaVersion: 1,
    data: { incidentId: randomUUID(), message: `update ${index}`, links: ['/incidents/1'] },
    metadata: {
      actor: { kind: 'agent', tokenId: randomUUID(), name: 'bench' },
      agentId: 'bench-agent',
      conversationId: 'bench-conversation',
      idempotencyKey: randomUUID(),
      correlationId: randomUUID(),
      occurredAt: new Date().toISOString(),
    },
  };
}

async function plainInsert(
  dataSource: DataSource,
  streamId: string,
  revision: number,
): Promise<void> {
  const row = event(revision);
  await dataSource.query(
    `INSERT INTO bench.plain_events
       (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      row.eventId,
      streamId,
      revision,
      row.type,
      1,
      JSON.stringify(row.data),
      JSON.stringify(row.metadata),
    ],
  );
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function writers(
  count: number,
  total: number,
  write: (writer: number, index: number) => Promise<void>,
) {
  const perWriter = Math.floor(total / count);
  await Promise.all(
    Array.from({ length: count }, async (_, writer) => {
      for (let index = 0; index < perWriter; index += 1) await write(writer, index);
    }),
  );
  return perWriter * count;
}

function report(
  name: string,
  count: number,
  ours: number,
  baseline: number,
  target?: number,
): void {
  const ratio = baseline / ours;
  const verdict =
    target === undefined ? '' : ratio >= target ? ' (meets target)' : ' (BELOW target)';
  console.log(
    `${name.padEnd(34)} ours ${formatRate(count, ours).padStart(10)}   baseline ` +
      `${formatRate(count, baseline).padStart(10)}   ratio ${(ratio * 100).toFixed(0)}%` +
      (target === undefined ? '' : ` of baseline, target >= ${target * 100}%${verdict}`),
  );
}

const countsProjection: Projection = {
  name: 'bench-counts',
  tables: ['bench.stream_counts'],
  schema: {
    name: 'bench-counts',
    statements: [
      `CREATE TABLE IF NOT EXISTS bench.stream_counts (stream_id text PRIMARY KEY, events int NOT NULL)`,
    ],
  },
  async apply(events: RecordedEvent[], manager: EntityManager) {
    const counts = new Map<string, number>();
    for (const recorded of events)
      counts.set(recorded.streamId, (counts.get(recorded.streamId) ?? 0) + 1);
    await manager.query(
      `INSERT INTO bench.stream_counts (stream_id, events)
       SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (stream_id) DO UPDATE SET events = bench.stream_counts.events + EXCLUDED.events`,
      [[...counts.keys()], [...counts.values()]],
    );
  },
};

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const database = await openBenchDatabase();
  const dataSource = await createDataSource(database.url, 40).initialize();
  await installSchema(dataSource, postgresEventStoreSchema);
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS bench`);
  await dataSource.query(`DROP TABLE IF EXISTS bench.plain_events`);
  await dataSource.query(
    `CREATE TABLE bench.plain_events (LIKE event_store.events INCLUDING DEFAULTS INCLUDING IDENTITY
       INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
  );
  const transactions = new Transactions(dataSource);
  const store = new PostgresEventStore({ transactions, listenUrl: database.url });
  const [{ server_version: version }] = await dataSource.query(`SHOW server_version`);
  console.log(`PostgreSQL ${version}, synchronous_commit on, both sides through one pg pool`);

  // Warm up both paths so neither pays for cold caches.
  await writers(4, 400, (writer, index) =>
    store
      .append(`warm-${writer}`, [event(index)], { expectedRevision: 'any' })
      .then(() => undefined),
  );
  await writers(4, 400, (writer, index) =>
    plainInsert(dataSource, `warm-${writer}`, 1_000 + index),
  );

  const baselineSingle = await timed(async () => {
    for (let index = 0; index < SINGLE_APPENDS; index += 1)
      await plainInsert(dataSource, 'single', index);
  });
  const single = await timed(async () => {
    for (let index = 0; index < SINGLE_APPENDS; index += 1) {
      await store.append('bench-single', [event(index)], {
        expectedRevision: index - 1 < 0 ? 'no_stream' : index - 1,
      });
    }
  });
  report('append, 1 writer', SINGLE_APPENDS, single, baselineSingle, 0.7);

  let concurrentCount = 0;
  const baselineConcurrent = await timed(async () => {
    concurrentCount = await writers(CONCURRENT_WRITERS, CONCURRENT_APPENDS, (writer, index) =>
      plainInsert(dataSource, `concurrent-${writer}`, index),
    );
  });
  const concurrent = await timed(async () => {
    await writers(CONCURRENT_WRITERS, CONCURRENT_APPENDS, (writer, index) =>
      store
        .append(`bench-concurrent-${writer}`, [event(index)], {
          expectedRevision: index === 0 ? 'no_stream' : index - 1,
        })
        .then(() => undefined),
    );
  });
  report(
    `append, ${CONCURRENT_WRITERS} writers`,
    concurrentCount,
    concurrent,
    baselineConcurrent,
    0.5,
  );

  // Fill to 100,000 events in batches for the read and catch-up figures.
  const [{ count }] = await dataSource.query(
    `SELECT count(*)::int AS count FROM event_store.events`,
  );
  for (let filled = count; filled < READ_EVENTS; filled += 500) {
    const batch = Array.from({ length: 500 }, (_, index) => event(filled + index));
    await store.append(`bench-fill-${filled % 97}`, batch, { expectedRevision: 'any' });
  }

  let readCount = 0;
  const read = await timed(async () => {
    let after = 'start';
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1_000 });
      readCount += page.events.length;
      after = page.checkpoint;
      if (page.isEnd) break;
    }
  });
  let baselineReadCount = 0;
  const baselineRead = await timed(async () => {
    let after = '0';
    for (;;) {
      const rows = await dataSource.query(
        `SELECT global_position, transaction_id, event_id, stream_id, stream_revision, type,
                schema_version, data, metadata, recorded_at
           FROM event_store.events WHERE global_position > $1 ORDER BY global_position LIMIT 1000`,
        [after],
      );
      baselineReadCount += rows.length;
      if (rows.length < 1_000) break;
      after = rows[rows.length - 1].global_position;
    }
  });
  report(
    'read $all (pages of 1,000)',
    readCount,
    read,
    baselineRead * (readCount / baselineReadCount),
  );

  const runner = new ProjectionRunner(store, dataSource, { run: true, batchSize: 1_000 });
  runner.register(countsProjection);
  const last = (await store.readAll({ after: 'start', maxCount: 1 })).checkpoint;
  let head = last;
  for (let after = 'start'; ;) {
    const page = await store.readAll({ after, maxCount: 5_000 });
    after = page.checkpoint;
    head = page.checkpoint;
    if (page.isEnd) break;
  }
  const catchUp = await timed(async () => {
    await runner.start();
    await runner.waitForPosition(head, { timeoutMs: 600_000 });
  });
  await runner.stop();
  console.log(
    `${'catch-up projection'.padEnd(34)} ${readCount.toLocaleString('en-US')} events in ` +
      `${(catchUp / 1000).toFixed(2)} s = ${formatRate(readCount, catchUp)} (target >= 10,000/s)`,
  );

  await store.close();
  await dataSource.destroy();
  await database.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
