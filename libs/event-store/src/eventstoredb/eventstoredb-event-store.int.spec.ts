import { EventStoreDBClient, ResolvedEvent, START } from '@eventstore/db-client';

import { describeEventStoreContract } from '../testing/event-store.contract';
import { testEvent, testEvents, uniqueStream } from '../testing/event-factory';
import {
  EventStoreDbTestStore,
  findEventStoreDbTarget,
  openEventStoreDbTestStore,
} from '../testing/eventstoredb-test-store';

const target = findEventStoreDbTarget();

if (target.kind === 'unavailable') {
  // One plain line, not Jest's console block: the skip is expected on machines without Docker.
  process.stdout.write(`${target.reason}\n`);
  describe.skip('event store contract: EventStoreDB', () => {
    it('needs EVENTSTORE_URL or a Docker engine', () => undefined);
  });
} else {
  let subject: EventStoreDbTestStore;

  describeEventStoreContract(
    'EventStoreDB',
    async () => {
      subject = await openEventStoreDbTestStore(target);
      return subject;
    },
    async () => subject.close(),
  );

  describe('EventStoreDB event store specifics', () => {
    let local: EventStoreDbTestStore;
    let raw: EventStoreDBClient;

    beforeAll(async () => {
      local = await openEventStoreDbTestStore(target);
      raw = EventStoreDBClient.connectionString(local.connectionString);
    });

    afterAll(async () => {
      await raw.dispose();
      await local.close();
    });

    it('keeps our event id and stores the schema version inside the metadata', async () => {
      const stream = uniqueStream();
      const event = { ...testEvent('IncidentOpened', { title: 'db down' }), schemaVersion: 2 };
      await local.store.append(stream, [event], { expectedRevision: 'no_stream' });

      const read = raw.readStream(stream, { fromRevision: START, maxCount: 1 });
      const [stored]: ResolvedEvent[] = await read.toArray();

      expect(stored.event).toMatchObject({
        id: event.eventId,
        type: 'IncidentOpened',
        isJson: true,
        data: { title: 'db down' },
        metadata: { schemaVersion: 2, correlationId: event.metadata.correlationId },
      });
    });

    it('recognises a retry with an exact revision after the stream moved on', async () => {
      const stream = uniqueStream();
      await local.store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
      const events = testEvents(2);
      const first = await local.store.append(stream, events, { expectedRevision: 0 });
      await local.store.append(stream, [testEvent()], { expectedRevision: 2 });

      const retry = await local.store.append(stream, events, { expectedRevision: 0 });

      expect(retry).toMatchObject({ alreadyAppended: true, nextExpectedRevision: 2 });
      expect(retry.events).toEqual(first.events);
      expect(await local.store.readStream(stream)).toHaveLength(4);
    });

    it('recognises a retry with `any` at the tail instead of writing it twice', async () => {
      const stream = uniqueStream();
      const events = testEvents(3);
      await local.store.append(stream, events, { expectedRevision: 'any' });

      const retry = await local.store.append(stream, events, { expectedRevision: 'any' });

      expect(retry.alreadyAppended).toBe(true);
      expect(await local.store.readStream(stream)).toHaveLength(3);
    });

    it('refuses a batch that reuses some ids of an earlier append', async () => {
      const stream = uniqueStream();
      const [kept] = testEvents(1);
      await local.store.append(stream, [kept], { expectedRevision: 'no_stream' });

      const reused = local.store.append(stream, [kept, testEvent()], {
        expectedRevision: 'no_stream',
      });

      await expect(reused).rejects.toMatchObject({ name: 'InvalidEventError' });
      expect(await local.store.readStream(stream)).toHaveLength(1);
    });

    it('reads backwards from past the end as from the end, a missing stream as empty', async () => {
      const stream = uniqueStream();
      await local.store.append(stream, testEvents(3), { expectedRevision: 'no_stream' });

      const all = await local.store.readStream(stream, {
        direction: 'backwards',
        fromRevision: 100,
      });
      const two = await local.store.readStream(stream, {
        direction: 'backwards',
        fromRevision: 100,
        maxCount: 2,
      });

      expect(all.map((event) => event.revision)).toEqual([2, 1, 0]);
      expect(two.map((event) => event.revision)).toEqual([2, 1]);
      expect(await local.store.readStream(uniqueStream())).toEqual([]);
    });

    it('leaves system events out of $all but moves its checkpoint past them', async () => {
      const stream = uniqueStream();
      const head = await local.store.readAll({ after: 'start', maxCount: 1 });
      let after = head.checkpoint;
      for (;;) {
        const page = await local.store.readAll({ after, maxCount: 1_000 });
        after = page.checkpoint;
        if (page.isEnd) break;
      }
      await raw.setStreamMetadata(stream, { maxAge: 86_400 });

      const page = await local.store.readAll({ after, maxCount: 1_000 });

      expect(page.events.filter((event) => event.type.startsWith('$'))).toEqual([]);
      expect(local.store.comparePositions(page.checkpoint, after)).toBeGreaterThan(0);
    });

    it('refuses a position it did not produce', async () => {
      await expect(local.store.readAll({ after: '812-4031' })).rejects.toMatchObject({
        code: 'validation',
      });
    });

    it('answers a ping', async () => {
      await expect(local.store.ping()).resolves.toBeUndefined();
    });
  });
}
