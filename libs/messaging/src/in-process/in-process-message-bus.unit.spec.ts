import { describeMessageBusContract } from '../testing/message-bus.contract';
import { MessageCollector, numbered, uniqueName } from '../testing/message-collector';
import { InProcessMessageBus } from './in-process-message-bus';

describeMessageBusContract('in-process', async () => new InProcessMessageBus());

describe('in-process message bus specifics', () => {
  it('keeps at most `retention` unread messages per partition, dropping the oldest', async () => {
    const bus = new InProcessMessageBus({ retention: 5 });
    const topic = uniqueName('retention');
    await bus.ensureTopic(topic, 1);
    const collector = new MessageCollector();

    await bus.publish(
      topic,
      numbered(8, () => 'k'),
    );
    await bus.subscribe({
      topic,
      groupId: uniqueName('late'),
      handle: collector.handle,
      fromBeginning: true,
    });
    await collector.untilCount(5);
    await bus.close();

    expect(collector.values()).toEqual(['m-3', 'm-4', 'm-5', 'm-6', 'm-7']);
  });

  it('handles `concurrency` partitions at once, one message per partition', async () => {
    const bus = new InProcessMessageBus();
    const topic = uniqueName('concurrency');
    await bus.ensureTopic(topic, 4);
    let inFlight = 0;
    let peak = 0;
    const busyPartitions = new Set<number>();
    let samePartitionTwice = false;
    const collector = new MessageCollector(async (message) => {
      samePartitionTwice ||= busyPartitions.has(message.partition);
      busyPartitions.add(message.partition);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      busyPartitions.delete(message.partition);
      return 'done';
    });

    await bus.subscribe({
      topic,
      groupId: uniqueName('g'),
      handle: collector.handle,
      concurrency: 2,
    });
    await bus.publish(
      topic,
      numbered(40, (index) => `key-${index}`),
    );
    await collector.untilCount(40);
    await bus.close();

    expect(peak).toBe(2);
    expect(samePartitionTwice).toBe(false);
  });
});
