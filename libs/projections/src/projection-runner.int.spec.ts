import { randomUUID } from 'node:crypto';

import { DataSource, EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';

import { createTestDatabase } from '../../../test/support/test-database';
import { testEvent, testEvents } from '../../event-store/src/testing/event-factory';
import {
  openPostgresTestStore,
  PostgresTestStore,
} from '../../event-store/src/testing/postgres-test-store';
import { Projection, ProjectionStatus } from './projection';
import { ProjectionRunner } from './projection-runner';

/** A table of event counts per stream, filled by the projection `name`. */
function countsOf(name: string) {
  const table = `${name}_counts`;
  const upsert = (events: string) =>
    `INSERT INTO ${table} (stream_id, events, last_event) VALUES ($1, ${events}, $2)
     ON CONFLICT (stream_id) DO UPDATE
       SET events = ${table}.events + 1, last_event = EXCLUDED.last_event`;
  const definition = {
    name,
    tables: [table],
    filter: { streamPrefixes: [`${name}-`] },
    schema: {
      name: `test-${name}`,
      statements: [
        `CREATE TABLE IF NOT EXISTS ${table} (
           stream_id text PRIMARY KEY, events integer NOT NULL, last_event text NOT NULL)`,
      ],
    },
  };
  return { definition, upsert };
}

/** Counts events per stream; refuses events whose data says `poison`. */
function countingProjection(name: string): Projection {
  const { definition, upsert } = countsOf(name);
  return {
    ...definition,
    async apply(events: RecordedEvent[], manager: EntityManager) {
      for (const event of events) {
        if (event.data.poison) throw new Error(`cannot project ${event.eventId}`);
        await manager.query(upsert('1'), [event.streamId, event.eventId]);
      }
    },
  };
}

/** The same counts as statements; a poison event's statement fails in the database. */
function countingWrites(name: string): Projection {
  const { definition, upsert } = countsOf(name);
  return {
    ...definition,
    writes: (events: RecordedEvent[]) =>
      events.map((event) => ({
        // NULL breaks the NOT NULL column: the statement fails in PostgreSQL.
        sql: upsert(event.data.poison ? 'NULL' : '1'),
        values: [event.streamId, event.eventId],
      })),
  };
}

/** The runner's only projection's status once it halted, or as it is after 10 s. */
async function untilHalted(runner: ProjectionRunner): Promise<ProjectionStatus> {
  const deadline = Date.now() + 10_000;
  let status = (await runner.statuses())[0];
  while (status.state !== 'halted' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await runner.statuses())[0];
  }
  return status;
}

async function rows(dataSource: DataSource, table: string): Promise<unknown[]> {
  return dataSource.query(`SELECT * FROM ${table} ORDER BY stream_id`);
}

describe('ProjectionRunner', () => {
  let subject: PostgresTestStore;
  let dataSource: DataSource;
  const runners: ProjectionRunner[] = [];

  const newRunner = (projection: Projection): ProjectionRunner => {
    const runner = new ProjectionRunner(subject.store, dataSource, {
      run: true,
      maxRetries: 2,
      retryDelayMs: 10,
      standbyPollMs: 100,
    });
    runner.register(projection);
    runners.push(runner);
    return runner;
  };

  beforeAll(async () => {
    subject = await openPostgresTestStore(await createTestDatabase('projections'));
    dataSource = subject.transactions.dataSource;
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  afterAll(async () => {
    await subject.close();
  });

  it('applies events and lets a writer wait until its own events are visible', async () => {
    const projection = countingProjection('live');
    const runner = newRunner(projection);
    await runner.start();
    const stream = `${projection.name}-${randomUUID()}`;

    const appended = await subject.store.append(stream, testEvents(3), { expectedRevision: 'any' });
    const visible = await runner.waitForPosition(appended.events[2].position, {
      timeoutMs: 10_000,
    });

    expect(visible).toBe(true);
    expect(await rows(dataSource, 'live_counts')).toEqual([
      { stream_id: stream, events: 3, last_event: appended.events[2].eventId },
    ]);
  });

  it('retries a failing event, then halts on it visibly and applies nothing after it', async () => {
    const projection = countingProjection('poisoned');
    const runner = newRunner(projection);
    await runner.start();
    const stream = `${projection.name}-${randomUUID()}`;
    const before = await subject.store.append(stream, testEvents(2), { expectedRevision: 'any' });
    const poison = testEvent('ThingHappened', { poison: true });

    await subject.store.append(stream, [poison], { expectedRevision: 'any' });
    await subject.store.append(stream, testEvents(2), { expectedRevision: 'any' });
    const status = await untilHalted(runner);

    expect(status).toMatchObject({ state: 'halted', failedEventId: poison.eventId });
    expect(status.lastError).toContain('cannot project');
    expect(await rows(dataSource, 'poisoned_counts')).toEqual([
      { stream_id: stream, events: 2, last_event: before.events[1].eventId },
    ]);
  });

  it('halts a projection of statements on the event whose statement fails', async () => {
    const projection = countingWrites('written');
    const runner = newRunner(projection);
    await runner.start();
    const stream = `${projection.name}-${randomUUID()}`;
    const before = await subject.store.append(stream, testEvents(2), { expectedRevision: 'any' });
    await runner.waitForPosition(before.events[1].position, { timeoutMs: 10_000 });
    const poison = testEvent('ThingHappened', { poison: true });

    // One append, one batch: it fails whole, then lands event by event up to the poison.
    await subject.store.append(stream, [testEvent(), poison], { expectedRevision: 'any' });
    const status = await untilHalted(runner);

    expect(status).toMatchObject({ state: 'halted', failedEventId: poison.eventId });
    expect(await rows(dataSource, 'written_counts')).toEqual([
      { stream_id: stream, events: 3, last_event: expect.any(String) },
    ]);
  });

  it('gives exactly the live rows when rebuilt from zero', async () => {
    const projection = countingProjection('rebuilt');
    const runner = newRunner(projection);
    await runner.start();
    let last = '';
    for (let index = 0; index < 30; index += 1) {
      const result = await subject.store.append(
        `rebuilt-${index % 7}${randomUUID().slice(0, 4)}`,
        testEvents(2),
        {
          expectedRevision: 'any',
        },
      );
      last = result.events[1].position;
    }
    await runner.waitForPosition(last, { timeoutMs: 10_000 });
    const live = await rows(dataSource, 'rebuilt_counts');

    await runner.rebuild('rebuilt');
    await runner.waitForPosition(last, { timeoutMs: 10_000 });

    expect(await rows(dataSource, 'rebuilt_counts')).toEqual(live);
    expect(live.length).toBeGreaterThanOrEqual(30);
  });

  it('runs one active instance across runners; a standby takes over when it stops', async () => {
    const projection = countingProjection('single');
    const first = newRunner(projection);
    const second = newRunner(countingProjection('single'));
    await first.start();
    await second.start();
    const stream = `${projection.name}-${randomUUID()}`;

    const one = await subject.store.append(stream, [testEvent()], { expectedRevision: 'any' });
    await first.waitForPosition(one.events[0].position, { timeoutMs: 10_000 });
    // Starting returns before the workers settle: wait until both tried for the lock.
    const settled = async () =>
      [(await first.statuses())[0].state, (await second.statuses())[0].state].sort();
    let states = await settled();
    for (let tries = 0; states.includes('starting') && tries < 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      states = await settled();
    }
    await first.stop();
    const two = await subject.store.append(stream, [testEvent()], { expectedRevision: 'any' });
    const tookOver = await second.waitForPosition(two.events[0].position, { timeoutMs: 10_000 });

    expect(states).toEqual(['running', 'standby']);
    expect(tookOver).toBe(true);
    expect(await rows(dataSource, 'single_counts')).toEqual([
      { stream_id: stream, events: 2, last_event: two.events[0].eventId },
    ]);
  });
});
