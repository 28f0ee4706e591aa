import { EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';

import { createTestDatabase } from '../../../../test/support/test-database';
import {
  openPostgresTestStore,
  PostgresTestStore,
} from '../../../event-store/src/testing/postgres-test-store';
import { testEvent, uniqueStream } from '../../../event-store/src/testing/event-factory';
import { eventually } from '../testing/eventually';
import { CheckpointedFeed, FeedConsumer } from './checkpointed-feed';
import { operationsWorkerSchema } from './operations.schema';

/** Records what it applies, in the feed's transaction; can be told to fail. */
class RecordingConsumer implements FeedConsumer {
  readonly name = 'test.recording';
  readonly filter = { eventTypes: ['Counted'] };
  failuresLeft = 0;

  constructor(private readonly label: string) {}

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) {
      await manager.query(`INSERT INTO feed_test.applied (event_id, feed) VALUES ($1, $2)`, [
        event.eventId,
        this.label,
      ]);
    }
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('transient failure');
    }
  }
}

describe('CheckpointedFeed (int)', () => {
  let store: PostgresTestStore;
  const feeds: CheckpointedFeed[] = [];

  beforeAll(async () => {
    store = await openPostgresTestStore(await createTestDatabase('checkpointed_feed'));
    const { dataSource } = store.transactions;
    for (const statement of operationsWorkerSchema.statements) await dataSource.query(statement);
    await dataSource.query(`CREATE SCHEMA feed_test`);
    await dataSource.query(`CREATE TABLE feed_test.applied (event_id uuid, feed text)`);
  });

  afterAll(async () => {
    await Promise.all(feeds.map((feed) => feed.stop()));
    await store.close();
  });

  const startFeed = (consumer: RecordingConsumer): CheckpointedFeed => {
    const feed = new CheckpointedFeed(consumer, store.store, store.transactions, {
      standbyPollMs: 50,
      retryDelayMs: 20,
    });
    feed.start();
    feeds.push(feed);
    return feed;
  };
  const applied = async (): Promise<Array<{ event_id: string; feed: string }>> =>
    store.transactions.dataSource.query(`SELECT event_id, feed FROM feed_test.applied`);
  const appendCounted = (count: number) =>
    store.store.append(
      uniqueStream('counted'),
      Array.from({ length: count }, () => testEvent('Counted')),
      { expectedRevision: 'any' },
    );

  it('applies each event once, in one process, through retries and a hand-over', async () => {
    const first = new RecordingConsumer('first');
    first.failuresLeft = 2;
    const active = startFeed(first);
    const standby = startFeed(new RecordingConsumer('second'));
    await appendCounted(3);
    await store.store.append(uniqueStream('other'), [testEvent('Ignored')], {
      expectedRevision: 'any',
    });

    await eventually(async () => ((await applied()).length === 3 ? true : undefined));
    expect(new Set((await applied()).map((row) => row.feed))).toEqual(new Set(['first']));
    expect(active.active).toBe(true);
    expect(standby.active).toBe(false);

    await active.stop();
    await appendCounted(2);

    const rows = await eventually(async () => {
      const found = await applied();
      return found.length === 5 ? found : undefined;
    });
    expect(new Set(rows.map((row) => row.event_id)).size).toBe(5);
    expect(rows.filter((row) => row.feed === 'second')).toHaveLength(2);
  });

  it('stops when told to while it is still starting, wherever it is', async () => {
    const consumer: FeedConsumer = {
      name: 'test.stopped-early',
      filter: { eventTypes: ['Counted'] },
      apply: async () => undefined,
    };

    // Each stop lands at another step of the start: lock, checkpoint, subscribe.
    for (let delayMs = 0; delayMs < 30; delayMs += 1) {
      const feed = new CheckpointedFeed(consumer, store.store, store.transactions);
      feed.start();
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await feed.stop();
      expect(feed.active).toBe(false);
    }
  });
});
