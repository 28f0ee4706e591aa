import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';

import { ENVIRONMENT, Environment } from '@observe/config';

import { InProcessMessageBus } from './in-process/in-process-message-bus';
import { KafkaMessageBus } from './kafka/kafka-message-bus';
import { MessageBus } from './message-bus.port';

/** Kafka when KAFKA_BROKERS lists any broker, the in-process bus otherwise. */
export function createMessageBus(environment: Environment): MessageBus {
  const logger = new Logger('MessagingModule');
  if (environment.KAFKA_BROKERS.length > 0) {
    logger.log({ msg: 'message bus: Kafka', brokers: environment.KAFKA_BROKERS });
    return new KafkaMessageBus({
      brokers: environment.KAFKA_BROKERS,
      clientId: environment.KAFKA_CLIENT_ID,
    });
  }

  logger.log({ msg: 'message bus: in-process (KAFKA_BROKERS is empty)' });
  return new InProcessMessageBus();
}

/**
 * Provides the MessageBus everywhere, choosing the adapter once at boot.
 * Needs ConfigModule. Subscribers stop and connections close on shutdown.
 */
@Global()
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  static forRoot(): DynamicModule {
    return {
      module: MessagingModule,
      providers: [{ provide: MessageBus, inject: [ENVIRONMENT], useFactory: createMessageBus }],
      exports: [MessageBus],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
