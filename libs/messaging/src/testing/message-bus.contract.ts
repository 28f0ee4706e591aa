import { RetriableError, ValidationError } from '@observe/core';

import {
  ConsumerHandle,
  CORRELATION_ID_HEADER,
  HandleOutcome,
  IncomingMessage,
  MessageBus,
  SubscribeOptions,
} from '../message-bus.port';
import { DEAD_LETTER_HEADERS } from '../message-delivery';
import {
  BatchCollector,
  eventually,
  MessageCollector,
  numbered,
  uniqueName,
} from './message-collector';

const fastRetry = { initialDelayMs: 10, maxDelayMs: 50 };

function text(message: IncomingMessage | undefined): string | undefined {
  return message?.value.toString('utf8');
}

/** One partition, offsets one after another. */
function consecutive(batch: IncomingMessage[]): boolean {
  return batch.every(
    (message, index) =>
      message.partition === batch[0].partition &&
      BigInt(message.offset) === BigInt(batch[0].offset) + BigInt(index),
  );
}

/**
 * What every MessageBus adapter promises, run against each of them: the
 * in-process bus in unit tests and Kafka in integration tests.
 */
export function describeMessageBusContract(name: string, open: () => Promise<MessageBus>): void {
  describe(`message bus contract: ${name}`, () => {
    let bus: MessageBus;
    const handles: ConsumerHandle[] = [];

    beforeAll(async () => {
      bus = await open();
    });

    afterEach(async () => {
      await Promise.all(handles.splice(0).map((handle) => handle.stop()));
    });

    afterAll(async () => {
      await bus.close();
    });

    async function newTopic(partitions = 3): Promise<string> {
      const topic = uniqueName('contract');
      await bus.ensureTopic(topic, partitions);
      return topic;
    }

    const KEYS = Array.from({ length: 8 }, (_, index) => `service-${index}`);

    /** Four publishes of 16 messages: two for each key, `key:0` to `key:7` in all. */
    async function publishKeyedRounds(topic: string): Promise<void> {
      for (let round = 0; round < 4; round += 1) {
        const values = KEYS.flatMap((key) => [0, 1].map((step) => `${key}:${round * 2 + step}`));
        await bus.publish(
          topic,
          values.map((value) => ({ key: value.split(':')[0], value })),
        );
      }
    }

    /** Each key's messages, in the order handled; asserts they came in publish order. */
    function expectEachKeyInOrder(messages: IncomingMessage[]): IncomingMessage[][] {
      return KEYS.map((key) => {
        const mine = messages.filter((message) => message.key === key);
        expect(mine.map(text)).toEqual(Array.from({ length: 8 }, (_, index) => `${key}:${index}`));
        return mine;
      });
    }

    async function subscribe(options: SubscribeOptions): Promise<ConsumerHandle> {
      const handle = await bus.subscribe(options);
      handles.push(handle);
      return handle;
    }

    describe('publish and subscribe', () => {
      it('delivers key, value, headers and the correlation id', async () => {
        const topic = await newTopic();
        const collector = new MessageCollector();
        await subscribe({ topic, groupId: uniqueName('group'), handle: collector.handle });

        await bus.publish(topic, [
          {
            key: 'incident-1',
            value: '{"type":"incident.opened"}',
            headers: { [CORRELATION_ID_HEADER]: 'corr-1', 'event-type': 'incident.opened' },
          },
          { key: 'incident-2', value: Buffer.from([0, 1, 2, 255]) },
        ]);
        await collector.untilCount(2);

        const byKey = new Map(collector.messages.map((message) => [message.key, message]));
        expect(byKey.get('incident-1')).toMatchObject({
          topic,
          headers: { [CORRELATION_ID_HEADER]: 'corr-1', 'event-type': 'incident.opened' },
          correlationId: 'corr-1',
          attempt: 1,
        });
        expect(text(byKey.get('incident-1'))).toBe('{"type":"incident.opened"}');
        expect(byKey.get('incident-2')?.value).toEqual(Buffer.from([0, 1, 2, 255]));
        expect(byKey.get('incident-2')?.headers).toEqual({});
        expect(byKey.get('incident-2')?.correlationId).toBeUndefined();
        expect(byKey.get('incident-1')?.timestamp).toBeInstanceOf(Date);
      });

      it('keeps each key in one partition, in order; keys spread over partitions', async () => {
        const topic = await newTopic(3);
        const collector = new MessageCollector();
        await subscribe({
          topic,
          groupId: uniqueName('group'),
          handle: collector.handle,
          concurrency: 3,
        });
        await publishKeyedRounds(topic);
        await collector.untilCount(64);

        for (const mine of expectEachKeyInOrder(collector.messages)) {
          expect(new Set(mine.map((message) => message.partition)).size).toBe(1);
          const offsets = mine.map((message) => BigInt(message.offset));
          expect([...offsets].sort((a, b) => (a < b ? -1 : 1))).toEqual(offsets);
        }
        expect(
          new Set(collector.messages.map((message) => message.partition)).size,
        ).toBeGreaterThan(1);
      });

      it('a new group starts at the end of the topic unless told otherwise', async () => {
        const topic = await newTopic();
        await bus.publish(topic, [{ key: 'k', value: 'before' }]);
        const fromEnd = new MessageCollector();
        const fromStart = new MessageCollector();

        await subscribe({ topic, groupId: uniqueName('end'), handle: fromEnd.handle });
        await subscribe({
          topic,
          groupId: uniqueName('start'),
          handle: fromStart.handle,
          fromBeginning: true,
        });
        await bus.publish(topic, [{ key: 'k', value: 'after' }]);
        await fromEnd.untilCount(1);
        await fromStart.untilCount(2);

        // One key, one partition: had 'before' reached fromEnd, it would have come first.
        expect(fromEnd.values()).toEqual(['after']);
        expect(fromStart.values()).toEqual(['before', 'after']);
      });

      it('ensureTopic creates the partitions asked for; again, it changes nothing', async () => {
        const topic = uniqueName('contract');
        const collector = new MessageCollector();

        await bus.ensureTopic(topic, 2);
        await bus.ensureTopic(topic, 2);
        await subscribe({
          topic,
          groupId: uniqueName('group'),
          handle: collector.handle,
          fromBeginning: true,
        });
        await bus.publish(
          topic,
          numbered(40, (index) => `key-${index}`),
        );
        await collector.untilCount(40);

        const partitions = new Set(collector.messages.map((message) => message.partition));
        expect([...partitions].sort()).toEqual([0, 1]);
      });
    });

    describe('consumer groups', () => {
      it('members of a group share its partitions; each message reaches one', async () => {
        const topic = await newTopic(3);
        const groupId = uniqueName('shared');
        const first = new MessageCollector();
        const second = new MessageCollector();

        await subscribe({ topic, groupId, handle: first.handle, fromBeginning: true });
        await subscribe({ topic, groupId, handle: second.handle, fromBeginning: true });
        await bus.publish(
          topic,
          numbered(60, (index) => `incident-${index % 12}`),
        );
        const total = (): number => first.messages.length + second.messages.length;
        await eventually(
          () => total() >= 60,
          () => `60 messages; got ${total()}`,
        );

        const all = [...first.values(), ...second.values()];
        expect(new Set(all).size).toBe(60);
        expect(all).toHaveLength(60);
        expect(first.messages.length).toBeGreaterThan(0);
        expect(second.messages.length).toBeGreaterThan(0);
        const firstKeys = new Set(first.messages.map((message) => message.key));
        expect(second.messages.filter((message) => firstKeys.has(message.key))).toEqual([]);
      });

      it('every group gets every message', async () => {
        const topic = await newTopic();
        const billing = new MessageCollector();
        const audit = new MessageCollector();

        await subscribe({
          topic,
          groupId: uniqueName('billing'),
          handle: billing.handle,
          fromBeginning: true,
        });
        await subscribe({
          topic,
          groupId: uniqueName('audit'),
          handle: audit.handle,
          fromBeginning: true,
        });
        await bus.publish(
          topic,
          numbered(10, (index) => `k-${index}`),
        );
        await billing.untilCount(10);
        await audit.untilCount(10);

        expect(billing.values().sort()).toEqual(audit.values().sort());
      });

      it('commits only handled messages: the next member resumes after them', async () => {
        const topic = await newTopic();
        const groupId = uniqueName('resume');
        const first = new MessageCollector(async (message) =>
          text(message) === 'm-5' ? 'retry' : 'done',
        );
        const firstHandle = await bus.subscribe({
          topic,
          groupId,
          handle: first.handle,
          fromBeginning: true,
          retry: fastRetry,
        });

        await bus.publish(
          topic,
          numbered(10, () => 'incident-7'),
        );
        await eventually(
          () => first.values().filter((value) => value === 'm-5').length >= 2,
          () => `m-5 twice; got ${JSON.stringify(first.values())}`,
        );
        await firstHandle.stop();
        const second = new MessageCollector();
        await subscribe({ topic, groupId, handle: second.handle, fromBeginning: true });
        await second.untilCount(5);

        expect(first.values().filter((value) => value !== 'm-5')).toEqual([
          'm-0',
          'm-1',
          'm-2',
          'm-3',
          'm-4',
        ]);
        expect(second.values()).toEqual(['m-5', 'm-6', 'm-7', 'm-8', 'm-9']);
      });

      it('stop() lets the message in hand finish, and commits it', async () => {
        const topic = await newTopic();
        const groupId = uniqueName('stop');
        let release = (): void => undefined;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let finished = false;
        const slow = new MessageCollector(async () => {
          await gate;
          finished = true;
          return 'done';
        });
        const handle = await bus.subscribe({
          topic,
          groupId,
          handle: slow.handle,
          fromBeginning: true,
        });
        await bus.publish(
          topic,
          numbered(2, () => 'incident-9'),
        );
        await slow.untilCount(1);

        let stopped = false;
        const stopping = handle.stop().then(() => (stopped = true));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(stopped).toBe(false);
        release();
        await stopping;
        expect(finished).toBe(true);
        const next = new MessageCollector();
        await subscribe({ topic, groupId, handle: next.handle, fromBeginning: true });
        await next.untilCount(1);

        expect(slow.values()).toEqual(['m-0']);
        expect(next.values()).toEqual(['m-1']);
      });
    });

    describe('outcomes', () => {
      function failingTimes(times: number, target: string, fail: () => Promise<HandleOutcome>) {
        return new MessageCollector(async (message) =>
          text(message) === target && message.attempt <= times ? fail() : 'done',
        );
      }

      it('retry hands the message back after a backoff, before later ones of its key', async () => {
        const topic = await newTopic();
        const collector = failingTimes(2, 'm-1', async () => 'retry');
        await subscribe({
          topic,
          groupId: uniqueName('retry'),
          handle: collector.handle,
          fromBeginning: true,
          retry: fastRetry,
        });

        await bus.publish(
          topic,
          numbered(3, () => 'incident-3'),
        );
        await collector.untilCount(5);

        expect(collector.values()).toEqual(['m-0', 'm-1', 'm-1', 'm-1', 'm-2']);
        expect(collector.messages.map((message) => message.attempt)).toEqual([1, 1, 2, 3, 1]);
      });

      it('a thrown RetriableError is retried like a retry outcome', async () => {
        const topic = await newTopic();
        const collector = failingTimes(1, 'm-0', async () => {
          throw new RetriableError('database unavailable');
        });
        await subscribe({
          topic,
          groupId: uniqueName('retriable'),
          handle: collector.handle,
          fromBeginning: true,
          retry: fastRetry,
        });

        await bus.publish(
          topic,
          numbered(2, () => 'incident-4'),
        );
        await collector.untilCount(3);

        expect(collector.values()).toEqual(['m-0', 'm-0', 'm-1']);
      });

      it('any other error marks poison: skipped, and parked on the dead-letter topic', async () => {
        const topic = await newTopic();
        const deadLetterTopic = await newTopic(1);
        const main = new MessageCollector(async (message) => {
          if (text(message) === 'm-1') throw new Error('cannot parse the payload');
          return 'done';
        });
        const parked = new MessageCollector();
        await subscribe({
          topic,
          groupId: uniqueName('poison'),
          handle: main.handle,
          fromBeginning: true,
          deadLetterTopic,
        });
        await subscribe({
          topic: deadLetterTopic,
          groupId: uniqueName('dlq'),
          handle: parked.handle,
          fromBeginning: true,
        });

        const messages = numbered(3, () => 'incident-5');
        messages[1].headers = { [CORRELATION_ID_HEADER]: 'corr-5' };
        await bus.publish(topic, messages);
        await main.untilCount(3);
        await parked.untilCount(1);

        expect(main.values()).toEqual(['m-0', 'm-1', 'm-2']);
        const poison = main.messages[1];
        expect(parked.messages[0]).toMatchObject({
          key: 'incident-5',
          correlationId: 'corr-5',
          headers: {
            [DEAD_LETTER_HEADERS.reason]: 'cannot parse the payload',
            [DEAD_LETTER_HEADERS.topic]: topic,
            [DEAD_LETTER_HEADERS.partition]: String(poison.partition),
            [DEAD_LETTER_HEADERS.offset]: poison.offset,
          },
        });
        expect(text(parked.messages[0])).toBe('m-1');
      });

      it('a message still asking for retry after maxAttempts is treated as poison', async () => {
        const topic = await newTopic();
        const deadLetterTopic = await newTopic(1);
        const main = failingTimes(Number.POSITIVE_INFINITY, 'm-0', async () => 'retry');
        const parked = new MessageCollector();
        await subscribe({
          topic,
          groupId: uniqueName('attempts'),
          handle: main.handle,
          fromBeginning: true,
          retry: { ...fastRetry, maxAttempts: 3 },
          deadLetterTopic,
        });
        await subscribe({
          topic: deadLetterTopic,
          groupId: uniqueName('dlq'),
          handle: parked.handle,
          fromBeginning: true,
        });

        await bus.publish(
          topic,
          numbered(2, () => 'incident-6'),
        );
        await main.untilCount(4);
        await parked.untilCount(1);

        expect(main.values()).toEqual(['m-0', 'm-0', 'm-0', 'm-1']);
        expect(parked.messages[0].headers[DEAD_LETTER_HEADERS.reason]).toBe(
          'gave up after 3 attempts',
        );
      });
    });

    describe('batches', () => {
      it('hands a partition over in consecutive batches; done commits each whole', async () => {
        const topic = await newTopic(1);
        const groupId = uniqueName('batches');
        const single = new MessageCollector();
        const batches = new BatchCollector();
        await bus.publish(
          topic,
          numbered(20, () => 'incident-10'),
        );

        const first = await bus.subscribe({
          topic,
          groupId,
          handle: single.handle,
          handleBatch: batches.handleBatch,
          fromBeginning: true,
        });
        await batches.untilCount(20);
        await first.stop();
        const next = new MessageCollector();
        await subscribe({ topic, groupId, handle: next.handle, fromBeginning: true });
        await bus.publish(topic, [{ key: 'incident-10', value: 'after' }]);
        await next.untilCount(1);

        expect(batches.values()).toEqual(Array.from({ length: 20 }, (_, index) => `m-${index}`));
        expect(batches.batches.some((batch) => batch.length > 1)).toBe(true);
        expect(batches.batches.every(consecutive)).toBe(true);
        expect(batches.messages.every((message) => message.attempt === 1)).toBe(true);
        expect(single.messages).toEqual([]);
        expect(next.values()).toEqual(['after']);
      });

      it('retry, or a RetriableError, hands the same batch back after a backoff', async () => {
        const topic = await newTopic(1);
        const single = new MessageCollector();
        const batches = new BatchCollector(async (batch) => {
          if (text(batch[0]) !== 'm-0') return 'done';
          if (batch[0].attempt === 1) return 'retry';
          if (batch[0].attempt === 2) throw new RetriableError('database unavailable');
          return 'done';
        });
        await bus.publish(
          topic,
          numbered(5, () => 'incident-11'),
        );

        await subscribe({
          topic,
          groupId: uniqueName('batch-retry'),
          handle: single.handle,
          handleBatch: batches.handleBatch,
          fromBeginning: true,
          retry: fastRetry,
        });
        await batches.untilCount(15);
        await bus.publish(topic, [{ key: 'incident-11', value: 'after' }]);
        await batches.untilCount(16);

        const sent = ['m-0', 'm-1', 'm-2', 'm-3', 'm-4'];
        expect(batches.batches.map((batch) => batch.map(text))).toEqual([
          sent,
          sent,
          sent,
          ['after'],
        ]);
        expect(batches.batches.map((batch) => batch.map((message) => message.attempt))).toEqual([
          [1, 1, 1, 1, 1],
          [2, 2, 2, 2, 2],
          [3, 3, 3, 3, 3],
          [1],
        ]);
        expect(single.messages).toEqual([]);
      });

      it('a poison message in a batch is parked alone; the others are handled once', async () => {
        const topic = await newTopic(1);
        const deadLetterTopic = await newTopic(1);
        const groupId = uniqueName('batch-poison');
        const handled: string[] = [];
        const isPoison = (message: IncomingMessage): boolean => text(message) === 'm-3';
        const batches = new BatchCollector(async (batch) => {
          if (batch.some(isPoison)) throw new Error('cannot parse the payload');
          handled.push(...batch.map((message) => text(message) ?? ''));
          return 'done';
        });
        const single = new MessageCollector(async (message) => {
          if (isPoison(message)) throw new Error('cannot parse the payload');
          handled.push(text(message) ?? '');
          return 'done';
        });
        const parked = new MessageCollector();
        await bus.publish(
          topic,
          numbered(6, () => 'incident-12'),
        );

        const first = await bus.subscribe({
          topic,
          groupId,
          handle: single.handle,
          handleBatch: batches.handleBatch,
          fromBeginning: true,
          deadLetterTopic,
        });
        await subscribe({
          topic: deadLetterTopic,
          groupId: uniqueName('dlq'),
          handle: parked.handle,
          fromBeginning: true,
        });
        await parked.untilCount(1);
        await eventually(
          () => handled.length >= 5,
          () => `5 handled; got ${JSON.stringify(handled)}`,
        );
        await first.stop();
        const next = new MessageCollector();
        await subscribe({ topic, groupId, handle: next.handle, fromBeginning: true });
        await bus.publish(topic, [{ key: 'incident-12', value: 'after' }]);
        await next.untilCount(1);

        expect(handled).toEqual(['m-0', 'm-1', 'm-2', 'm-4', 'm-5']);
        expect(batches.batches.map((batch) => batch.map(text))).toEqual([
          ['m-0', 'm-1', 'm-2', 'm-3', 'm-4', 'm-5'],
        ]);
        expect(single.values()).toEqual(['m-0', 'm-1', 'm-2', 'm-3', 'm-4', 'm-5']);
        expect(single.messages.every((message) => message.attempt === 2)).toBe(true);
        expect(parked.values()).toEqual(['m-3']);
        expect(parked.messages[0].headers[DEAD_LETTER_HEADERS.reason]).toBe(
          'cannot parse the payload',
        );
        expect(next.values()).toEqual(['after']);
      });

      it('keeps each key in order across batches of at most maxBatchSize', async () => {
        const topic = await newTopic(3);
        const batches = new BatchCollector();
        await subscribe({
          topic,
          groupId: uniqueName('batch-order'),
          handle: async () => 'done',
          handleBatch: batches.handleBatch,
          maxBatchSize: 4,
          concurrency: 3,
        });
        await publishKeyedRounds(topic);
        await batches.untilCount(64);

        expectEachKeyInOrder(batches.messages);
        expect(batches.batches.every(consecutive)).toBe(true);
        // 16 messages a publish over 3 partitions put 6 or more in one of them.
        expect(Math.max(...batches.batches.map((batch) => batch.length))).toBe(4);
      });
    });

    describe('refusals', () => {
      it('refuses invalid topic names, partition counts and group ids', async () => {
        const handle = async (): Promise<HandleOutcome> => 'done';

        await expect(
          bus.publish('no spaces allowed', [{ key: 'k', value: 'v' }]),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(bus.ensureTopic(uniqueName('contract'), 0)).rejects.toBeInstanceOf(
          ValidationError,
        );
        await expect(
          bus.subscribe({ topic: uniqueName('contract'), groupId: ' ', handle }),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(
          bus.subscribe({
            topic: uniqueName('contract'),
            groupId: uniqueName('group'),
            handle,
            handleBatch: async () => 'done',
            maxBatchSize: 0,
          }),
        ).rejects.toBeInstanceOf(ValidationError);
      });

      it('refuses to publish once closed', async () => {
        const closing = await open();
        await closing.close();

        await expect(
          closing.publish(uniqueName('contract'), [{ key: 'k', value: 'v' }]),
        ).rejects.toThrow(/closed/);
      });
    });
  });
}
