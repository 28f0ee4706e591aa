import { createTestDatabase } from '../../../../test/support/test-database';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { testEvent, uniqueStream } from '../testing/event-factory';
import { openPostgresTestStore, PostgresTestStore } from '../testing/postgres-test-store';

let subject: PostgresTestStore;

describeEventStoreContract(
  'PostgreSQL',
  async () => {
    subject = await openPostgresTestStore(await createTestDatabase('event_store_contract'));
    return subject;
  },
  async () => subject.close(),
);

describe('PostgreSQL event store specifics', () => {
  let local: PostgresTestStore;
  let localUrl: string;

  beforeAll(async () => {
    localUrl = await createTestDatabase('event_store_pg');
    local = await openPostgresTestStore(localUrl);
  });

  afterAll(async () => {
    await local.close();
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the events table in the database itself', async () => {
    const stream = uniqueStream();
    await local.store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
    const sql = local.transactions.dataSource;

    await expect(sql.query(`UPDATE event_store.events SET type = 'Changed'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query(`DELETE FROM event_store.events`)).rejects.toThrow(/append-only/);
    await expect(sql.query(`TRUNCATE event_store.events`)).rejects.toThrow(/append-only/);
    expect(await local.store.readStream(stream)).toHaveLength(1);
  });

  it('joins the ambient transaction, so a rollback takes the events with it', async () => {
    const stream = uniqueStream();

    await expect(
      local.transactions.run(async () => {
        await local.store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
        throw new Error('the request failed after appending');
      }),
    ).rejects.toThrow('the request failed');

    expect(await local.store.readStream(stream)).toEqual([]);
  });

  it('answers a retry under any with the stored events, and refuses ids used on another stream', async () => {
    const stream = uniqueStream();
    const events = [testEvent(), testEvent()];
    const first = await local.store.append(stream, events, { expectedRevision: 'any' });

    const retry = await local.store.append(stream, events, { expectedRevision: 'any' });
    const elsewhere = local.store.append(uniqueStream(), events, { expectedRevision: 'any' });

    expect(retry.alreadyAppended).toBe(true);
    expect(retry.events.map((event) => event.position)).toEqual(
      first.events.map((event) => event.position),
    );
    await expect(elsewhere).rejects.toBeInstanceOf(Error);
    expect(await local.store.readStream(stream)).toHaveLength(2);
  });

  it('wakes another process subscribed to the store at once, not at its idle poll', async () => {
    // Stores LISTEN on a connection of their own, opened when they first subscribe.
    const listeners = async () => {
      const rows: Array<{ n: number }> = await local.transactions.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
      );
      return rows[0].n;
    };
    const listenersBefore = await listeners();
    const other = await openPostgresTestStore(localUrl);
    const stream = uniqueStream();
    const head = await local.store.readAll({ after: 'start', maxCount: 10_000 });
    let caughtUp = false;
    let arrivedAt: number | undefined;
    const subscription = other.store.subscribeToAll({
      after: head.checkpoint,
      filter: { streamPrefixes: [stream] },
      handle: async (batch) => {
        if (batch.events.length > 0) arrivedAt ??= Date.now();
      },
      onCaughtUp: () => (caughtUp = true),
    });
    while (!caughtUp) await new Promise((resolve) => setTimeout(resolve, 10));
    const deadline = Date.now() + 10_000;
    while ((await listeners()) < listenersBefore + 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const appendedAt = Date.now();
    await local.store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
    while (arrivedAt === undefined && Date.now() - appendedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await subscription.stop();
    await other.close();

    // Idle subscriptions poll once a second; a NOTIFY wakes them well before.
    expect((arrivedAt ?? Infinity) - appendedAt).toBeLessThan(500);
  });

  it('refuses a position it did not produce', async () => {
    await expect(local.store.readAll({ after: 'not-a-position' })).rejects.toMatchObject({
      code: 'validation',
    });
  });
});
