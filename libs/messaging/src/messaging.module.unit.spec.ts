import { NestFactory } from '@nestjs/core';

import { ConfigModule, loadEnvironment } from '@observe/config';

import { InProcessMessageBus } from './in-process/in-process-message-bus';
import { KafkaMessageBus } from './kafka/kafka-message-bus';
import { MessageBus } from './message-bus.port';
import { MessagingModule } from './messaging.module';

async function busFor(variables: Record<string, string>): Promise<MessageBus> {
  const app = await NestFactory.createApplicationContext(
    {
      module: class App {},
      imports: [ConfigModule.forRoot(loadEnvironment(variables)), MessagingModule.forRoot()],
    },
    { logger: false },
  );
  const bus = app.get(MessageBus);
  await app.close();
  return bus;
}

describe('MessagingModule', () => {
  it('provides the in-process bus when KAFKA_BROKERS is empty', async () => {
    expect(await busFor({})).toBeInstanceOf(InProcessMessageBus);
    expect(await busFor({ KAFKA_BROKERS: ' , ' })).toBeInstanceOf(InProcessMessageBus);
  });

  it('provides the Kafka bus when KAFKA_BROKERS lists a broker', async () => {
    // Nothing connects before the first publish or subscribe, so no broker is needed here.
    expect(await busFor({ KAFKA_BROKERS: '127.0.0.1:1' })).toBeInstanceOf(KafkaMessageBus);
  });

  it('closes the bus when the application shuts down', async () => {
    const bus = await busFor({});

    await expect(bus.publish('after-shutdown', [{ key: 'k', value: 'v' }])).rejects.toThrow(
      /closed/,
    );
  });
});
