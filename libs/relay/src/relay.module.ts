import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ENVIRONMENT, Environment } from '@observe/config';
import { EventStore } from '@observe/event-store';
import { MessageBus } from '@observe/messaging';

import {
  IntegrationEventRegistry,
  linkBuilder,
} from './integration-events/integration-event-registry';
import { RelayWorker, RelayWorkerOptions } from './relay-worker/relay-worker';

export type RelayModuleOptions = Partial<Omit<RelayWorkerOptions, 'topic' | 'links'>>;

const DEFAULTS = {
  name: 'integration-events',
  partitions: 6,
  batchSize: 200,
  // Webhooks go out at most this much later; under load, batches are larger.
  lingerMs: 20,
  standbyPollMs: 2_000,
  retryDelayMs: 500,
};

/**
 * The relay role: domain events from the store to Kafka (KAFKA_TOPIC), or to
 * the in-process bus when KAFKA_BROKERS is empty. Needs MessagingModule.
 */
@Module({})
export class RelayModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(RelayWorker) private readonly worker: RelayWorker) {}

  static forRoot(options: RelayModuleOptions = {}): DynamicModule {
    return {
      module: RelayModule,
      providers: [
        { provide: IntegrationEventRegistry, useValue: new IntegrationEventRegistry() },
        {
          provide: RelayWorker,
          inject: [EventStore, DataSource, MessageBus, IntegrationEventRegistry, ENVIRONMENT],
          useFactory: (
            store: EventStore,
            dataSource: DataSource,
            bus: MessageBus,
            registry: IntegrationEventRegistry,
            environment: Environment,
          ) =>
            new RelayWorker(store, dataSource, bus, registry, {
              ...DEFAULTS,
              ...options,
              topic: environment.KAFKA_TOPIC,
              links: linkBuilder(environment.PUBLIC_BASE_URL),
            }),
        },
      ],
      exports: [RelayWorker],
    };
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  /** Before the bus and the database close, so the batch in hand can finish. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}
