import { randomUUID } from 'node:crypto';

import { NewEvent, RecordedEvent } from '../event-envelope';
import { InvalidEventError, WrongExpectedRevisionError } from '../event-store.errors';
import { EventStore, GlobalCheckpoint, Subscription } from '../event-store.port';
import { testEvent, testEvents, uniqueStream } from './event-factory';

/** An append left open in its own transaction, for adapters that have them. */
export interface HeldAppend {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface EventStoreUnderTest {
  store: EventStore;
  /** Only stores with multi-statement transactions (PostgreSQL) provide this. */
  beginHeldAppend?(streamId: string, events: NewEvent[]): Promise<HeldAppend>;
  /** Registers an upcaster on the store's registry (for the upcasting case). */
  registerUpcaster?(type: string, fromVersion: number, upcast: (data: object) => object): void;
}

/** Collects what a subscription delivers, for assertions. */
class Collector {
  readonly events: RecordedEvent[] = [];
  checkpoint: GlobalCheckpoint = 'start';
  caughtUp = false;
  subscription?: Subscription;

  ids(): string[] {
    return this.events.map((event) => event.eventId);
  }

  async until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; collected ${this.events.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function subscribe(
  store: EventStore,
  prefix: string,
  after: GlobalCheckpoint = 'start',
  eventTypes?: string[],
): Collector {
  const collector = new Collector();
  collector.checkpoint = after;
  collector.subscription = store.subscribeToAll({
    after,
    filter: { streamPrefixes: [prefix], eventTypes },
    batchSize: 100,
    handle: async (batch) => {
      collector.events.push(...batch.events);
      collector.checkpoint = batch.checkpoint;
    },
    onCaughtUp: () => (collector.caughtUp = true),
  });
  return collector;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every event store adapter keeps. Each case uses streams of
 * its own, so it holds on a store that other cases (or files) also write to.
 */
export function describeEventStoreContract(
  name: string,
  setup: () => Promise<EventStoreUnderTest>,
  teardown: () => Promise<void>,
): void {
  describe(`event store contract: ${name}`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    });

    afterAll(async () => {
      await teardown();
    });

    describe('expected revision', () => {
      it('no_stream appends to a new stream and refuses an existing one', async () => {
        const stream = uniqueStream();

        const first = await store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
        const second = store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });

        expect(first.nextExpectedRevision).toBe(0);
        await expect(second).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          actual: 0,
        });
      });

      it('stream_exists refuses a new stream and appends to an existing one', async () => {
        const stream = uniqueStream();

        const refused = store.append(stream, [testEvent()], { expectedRevision: 'stream_exists' });
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
        const accepted = await store.append(stream, [testEvent()], {
          expectedRevision: 'stream_exists',
        });

        expect(accepted.nextExpectedRevision).toBe(1);
      });

      it('an exact revision appends when it matches and reports the actual one when not', async () => {
        const stream = uniqueStream();
        await store.append(stream, testEvents(3), { expectedRevision: 'no_stream' });

        const accepted = await store.append(stream, [testEvent()], { expectedRevision: 2 });
        const stale = store.append(stream, [testEvent()], { expectedRevision: 2 });

        expect(accepted.nextExpectedRevision).toBe(3);
        await expect(stale).rejects.toMatchObject({ expected: 2, actual: 3 });
        await expect(
          store.append(uniqueStream(), [testEvent()], { expectedRevision: 0 }),
        ).rejects.toMatchObject({ actual: -1 });
      });

      it('any appends whatever the stream holds', async () => {
        const stream = uniqueStream();

        await store.append(stream, [testEvent()], { expectedRevision: 'any' });
        const result = await store.append(stream, testEvents(2), { expectedRevision: 'any' });

        expect(result.nextExpectedRevision).toBe(2);
        expect(result.events.map((event) => event.revision)).toEqual([1, 2]);
      });

      it('of N parallel appends with one expectation exactly one wins', async () => {
        const stream = uniqueStream();
        await store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });

        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, () =>
            store.append(stream, [testEvent()], { expectedRevision: 0 }),
          ),
        );

        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const outcome of lost) {
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(
            WrongExpectedRevisionError,
          );
        }
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('of N parallel first appends with no_stream exactly one wins', async () => {
        const stream = uniqueStream();

        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            store.append(stream, [testEvent()], { expectedRevision: 'no_stream' }),
          ),
        );

        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('idempotent retries and atomicity', () => {
      it('a retry with the same event ids writes nothing twice and reports success', async () => {
        const stream = uniqueStream();
        const events = testEvents(3);
        const first = await store.append(stream, events, { expectedRevision: 'no_stream' });

        const retry = await store.append(stream, events, { expectedRevision: 'no_stream' });

        expect(retry.alreadyAppended).toBe(true);
        expect(retry.events.map((event) => event.position)).toEqual(
          first.events.map((event) => event.position),
        );
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('a multi-event append with one malformed event writes nothing', async () => {
        const stream = uniqueStream();
        const malformed = { ...testEvent(), type: 'not pascal case' };

        const append = store.append(stream, [testEvent(), malformed, testEvent()], {
          expectedRevision: 'any',
        });

        await expect(append).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('refuses malformed metadata with the field that is wrong', async () => {
        const stream = uniqueStream();
        const event = testEvent();
        const noActor = { ...event, metadata: { ...event.metadata, actor: undefined } };
        const badAgent = { ...event, metadata: { ...event.metadata, agentId: 'has spaces' } };

        await expect(
          store.append(stream, [noActor as unknown as NewEvent], { expectedRevision: 'any' }),
        ).rejects.toMatchObject({ fieldErrors: [{ field: 'events[0].metadata.actor.kind' }] });
        await expect(
          store.append(stream, [badAgent], { expectedRevision: 'any' }),
        ).rejects.toMatchObject({ fieldErrors: [{ field: 'events[0].metadata.agentId' }] });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('a conflicting multi-event append writes none of its events', async () => {
        const stream = uniqueStream();
        await store.append(stream, testEvents(2), { expectedRevision: 'no_stream' });

        await expect(
          store.append(stream, testEvents(5), { expectedRevision: 0 }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);

        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('reading', () => {
      it('pages a 10,000-event stream forwards and backwards', async () => {
        const stream = uniqueStream();
        for (let batch = 0; batch < 20; batch += 1) {
          const events = Array.from({ length: 500 }, (_, index) =>
            testEvent('ThingHappened', { index: batch * 500 + index }),
          );
          await store.append(stream, events, { expectedRevision: 'any' });
        }

        const forwards: number[] = [];
        for (let from = 0; ; from += 1_000) {
          const page = await store.readStream(stream, { fromRevision: from, maxCount: 1_000 });
          forwards.push(...page.map((event) => event.data.index as number));
          if (page.length < 1_000) break;
        }
        const backwards: number[] = [];
        for (let from = 9_999; from >= 0; from -= 1_000) {
          const page = await store.readStream(stream, {
            direction: 'backwards',
            fromRevision: from,
            maxCount: 1_000,
          });
          backwards.push(...page.map((event) => event.data.index as number));
        }

        const expected = Array.from({ length: 10_000 }, (_, index) => index);
        expect(forwards).toEqual(expected);
        expect(backwards).toEqual([...expected].reverse());
        const lastTwo = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
        expect(lastTwo.map((event) => event.revision)).toEqual([9_999, 9_998]);
      });

      it('round-trips data and metadata exactly (unicode, big numbers, nesting)', async () => {
        const stream = uniqueStream();
        const data = {
          text: 'naïve café — 事件 🚨 עִבְרִית \u200d\u{1F469}\u200d\u{1F4BB} "quoted" \\ back',
          maxSafe: Number.MAX_SAFE_INTEGER,
          minSafe: Number.MIN_SAFE_INTEGER,
          huge: 1.7976931348623157e308,
          tiny: 5e-324,
          fraction: 0.1 + 0.2,
          negativeZeroish: -1e-7,
          bigAsString: '123456789012345678901234567890',
          nested: { list: [1, 'two', { three: [true, false, null] }], empty: {} },
        };
        const event = testEvent('ThingHappened', data, {
          agentId: 'agent:triage-1',
          conversationId: 'conv.2026-12-03',
          idempotencyKey: 'key-ü-1',
          causationId: randomUUID(),
          requestId: 'req-1',
          actor: { kind: 'agent', tokenId: randomUUID(), name: 'triage bot ✨' },
        });

        await store.append(stream, [event], { expectedRevision: 'no_stream' });
        const [read] = await store.readStream(stream);

        expect(read.eventId).toBe(event.eventId);
        expect(read.type).toBe(event.type);
        expect(read.schemaVersion).toBe(1);
        expect(read.data).toStrictEqual(data);
        expect(read.metadata).toStrictEqual(event.metadata);
        expect(read.streamId).toBe(stream);
        expect(read.revision).toBe(0);
      });

      it('keeps global order strictly increasing and stable across re-reads', async () => {
        const prefix = `order${randomUUID().slice(0, 8)}`;
        await Promise.all(
          Array.from({ length: 8 }, (_, writer) =>
            (async () => {
              for (let index = 0; index < 10; index += 1) {
                await store.append(`${prefix}-${writer}`, [testEvent()], {
                  expectedRevision: 'any',
                });
              }
            })(),
          ),
        );

        const readMine = async (): Promise<RecordedEvent[]> => {
          const mine: RecordedEvent[] = [];
          let after: GlobalCheckpoint = 'start';
          for (;;) {
            const page = await store.readAll({
              after,
              maxCount: 250,
              filter: { streamPrefixes: [prefix] },
            });
            mine.push(...page.events);
            after = page.checkpoint;
            if (page.isEnd) return mine;
          }
        };
        const first = await readMine();
        const second = await readMine();

        expect(first).toHaveLength(80);
        for (let index = 1; index < first.length; index += 1) {
          expect(
            store.comparePositions(first[index - 1].position, first[index].position),
          ).toBeLessThan(0);
        }
        expect(second.map((event) => event.position)).toEqual(first.map((event) => event.position));
      });

      it('upcasts old schema versions on read', async () => {
        if (!subject.registerUpcaster) return;
        const type = `Legacy${randomUUID().replace(/-/g, '').slice(0, 12)}Recorded`;
        subject.registerUpcaster(type, 1, (data) => ({ ...data, severity: 'info' }));
        const stream = uniqueStream();

        await store.append(stream, [testEvent(type, { title: 'old shape' })], {
          expectedRevision: 'any',
        });
        const [read] = await store.readStream(stream);

        expect(read.schemaVersion).toBe(2);
        expect(read.data).toEqual({ title: 'old shape', severity: 'info' });
      });
    });

    describe('subscriptions', () => {
      it('advances its checkpoint when the filter matches nothing', async () => {
        const prefix = `quiet${randomUUID().slice(0, 8)}`;
        const head = await store.readAll({ after: 'start', maxCount: 1 });
        await store.append(`${prefix}-1`, testEvents(3, 'OtherThingHappened'), {
          expectedRevision: 'any',
        });
        const collector = subscribe(store, prefix, 'start', ['NeverHappened']);

        await collector.until(() => collector.caughtUp && collector.checkpoint !== 'start');
        await collector.subscription?.stop();

        expect(collector.events).toEqual([]);
        expect(store.comparePositions(collector.checkpoint, head.checkpoint)).toBeGreaterThan(0);
      });

      it('catches up, then delivers live, and resumes exactly after its checkpoint', async () => {
        const prefix = `live${randomUUID().slice(0, 8)}`;
        const history = await store.append(`${prefix}-a`, testEvents(5), {
          expectedRevision: 'any',
        });
        const collector = subscribe(store, prefix);
        await collector.until(() => collector.events.length === 5 && collector.caughtUp);

        const live = await store.append(`${prefix}-b`, testEvents(3), { expectedRevision: 'any' });
        await collector.until(() => collector.events.length === 8);
        await collector.subscription?.stop();
        const stoppedAt = collector.checkpoint;
        const afterStop = await store.append(`${prefix}-c`, testEvents(2), {
          expectedRevision: 'any',
        });
        const resumed = subscribe(store, prefix, stoppedAt);
        await resumed.until(() => resumed.events.length === 2);
        await delay(300);
        await resumed.subscription?.stop();

        expect(collector.ids()).toEqual(
          [...history.events, ...live.events].map((event) => event.eventId),
        );
        expect(resumed.ids()).toEqual(afterStop.events.map((event) => event.eventId));
      });

      it('with a linger, takes the appends made while it lingers in one batch', async () => {
        const prefix = `linger${randomUUID().slice(0, 8)}`;
        const batches: number[] = [];
        let caughtUp = false;
        const subscription = store.subscribeToAll({
          after: (await store.readAll({ after: 'start', maxCount: 10_000 })).checkpoint,
          filter: { streamPrefixes: [prefix] },
          lingerMs: 300,
          handle: async (batch) => {
            if (batch.events.length > 0) batches.push(batch.events.length);
          },
          onCaughtUp: () => (caughtUp = true),
        });
        while (!caughtUp) await delay(10);

        for (let index = 0; index < 3; index += 1) {
          await store.append(`${prefix}-${index}`, testEvents(1), { expectedRevision: 'any' });
        }
        const deadline = Date.now() + 5_000;
        while (batches.reduce((sum, size) => sum + size, 0) < 3 && Date.now() < deadline) {
          await delay(20);
        }
        await subscription.stop();

        expect(batches).toEqual([3]);
      });

      it('delivers a transaction held open while later ones commit, exactly once', async () => {
        if (!subject.beginHeldAppend) return;
        const prefix = `held${randomUUID().slice(0, 8)}`;
        const collector = subscribe(store, prefix);
        await collector.until(() => collector.caughtUp);

        const heldEvents = testEvents(2);
        const held = await subject.beginHeldAppend(`${prefix}-held`, heldEvents);
        const later = await store.append(`${prefix}-later`, testEvents(3), {
          expectedRevision: 'any',
        });
        await delay(500);
        await held.commit();
        await collector.until(() => collector.events.length >= 5);
        await delay(500);
        await collector.subscription?.stop();

        const ids = collector.ids();
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.sort()).toEqual(
          [
            ...heldEvents.map((event) => event.eventId),
            ...later.events.map((event) => event.eventId),
          ].sort(),
        );
      });

      it('never delivers a rolled-back append, and it stalls nothing', async () => {
        if (!subject.beginHeldAppend) return;
        const prefix = `rollback${randomUUID().slice(0, 8)}`;
        const collector = subscribe(store, prefix);

        const held = await subject.beginHeldAppend(`${prefix}-gone`, testEvents(2));
        const kept = await store.append(`${prefix}-kept`, testEvents(2), {
          expectedRevision: 'any',
        });
        await held.rollback();
        await collector.until(() => collector.events.length >= 2);
        await delay(300);
        await collector.subscription?.stop();

        expect(collector.ids()).toEqual(kept.events.map((event) => event.eventId));
        expect(await store.readStream(`${prefix}-gone`)).toEqual([]);
      });

      it('delivers every committed event exactly once under a fuzz of writers and rollbacks', async () => {
        if (!subject.beginHeldAppend) return;
        const beginHeldAppend = subject.beginHeldAppend.bind(subject);
        const prefix = `fuzz${randomUUID().slice(0, 8)}`;
        const collector = subscribe(store, prefix);
        const committed: string[] = [];

        await Promise.all(
          Array.from({ length: 6 }, (_, writer) =>
            (async () => {
              for (let round = 0; round < 15; round += 1) {
                const events = testEvents(1 + (round % 3));
                const stream = `${prefix}-${writer}-${round % 4}`;
                if (Math.random() < 0.5) {
                  const held = await beginHeldAppend(stream, events);
                  await delay(Math.floor(Math.random() * 25));
                  if (Math.random() < 0.25) {
                    await held.rollback();
                    continue;
                  }
                  await held.commit();
                } else {
                  await delay(Math.floor(Math.random() * 10));
                  await store.append(stream, events, { expectedRevision: 'any' });
                }
                committed.push(...events.map((event) => event.eventId));
              }
            })(),
          ),
        );
        await collector.until(() => collector.events.length >= committed.length);
        await delay(500);
        await collector.subscription?.stop();

        const delivered = collector.ids();
        expect(new Set(delivered).size).toBe(delivered.length);
        expect([...delivered].sort()).toEqual([...committed].sort());
      });
    });
  });
}
