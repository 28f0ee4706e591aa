import { RetriableError, sleep } from '@observe/core';

import { DedicatedKafka, startDedicatedKafka } from '../../../../test/support/kafka';
import { OutgoingMessage } from '../message-bus.port';
import { eventually, uniqueName } from '../testing/message-collector';
import { KafkaMessageBus } from './kafka-message-bus';

const runs = process.env.OBSERVE_TEST_KAFKA !== 'off';

let refusals = 0;

/** Publishes like the relay does: a batch the bus could not confirm is published again. */
async function publishUntilAcknowledged(
  bus: KafkaMessageBus,
  topic: string,
  batch: OutgoingMessage[],
) {
  for (;;) {
    try {
      await bus.publish(topic, batch);
      return;
    } catch (error) {
      if (!(error instanceof RetriableError)) throw error;
      refusals += 1;
    }
  }
}

(runs ? describe : describe.skip)('Kafka message bus through a broker outage', () => {
  let kafka: DedicatedKafka;
  let bus: KafkaMessageBus;

  beforeAll(async () => {
    kafka = await startDedicatedKafka();
    bus = new KafkaMessageBus({
      brokers: [kafka.brokers],
      clientId: 'outage-test',
      publishTimeoutMs: 3_000,
    });
  });

  afterAll(async () => {
    await bus?.close();
    await kafka?.destroy();
  });

  it('loses none of a 500-message burst when the broker is killed midway for 8 s', async () => {
    const topic = uniqueName('outage');
    await bus.ensureTopic(topic, 3);
    const received = new Set<string>();
    await bus.subscribe({
      topic,
      groupId: uniqueName('dispatcher'),
      fromBeginning: true,
      handle: async (message) => {
        received.add(message.value.toString('utf8'));
        return 'done';
      },
    });
    const ids = Array.from({ length: 500 }, (_, index) => `event-${index}`);
    const publishRange = async (from: number, to: number): Promise<void> => {
      for (let start = from; start < to; start += 10) {
        const batch = ids.slice(start, start + 10).map((id, index) => ({
          key: `incident-${(start + index) % 7}`,
          value: id,
        }));
        await publishUntilAcknowledged(bus, topic, batch);
      }
    };

    await publishRange(0, 250);
    await eventually(
      () => received.size >= 100,
      () => `100 deliveries before the outage; got ${received.size}`,
    );
    await kafka.stop();
    // Half the burst goes out while the broker is down, longer than a publish waits.
    const duringOutage = publishRange(250, 500);
    await sleep(8_000);
    await kafka.start();
    await duringOutage;
    await eventually(
      () => received.size >= ids.length,
      () => `all 500; got ${received.size}`,
      90_000,
    );

    expect([...received].sort()).toEqual([...ids].sort());
    expect(refusals).toBeGreaterThan(0);
  });
});
