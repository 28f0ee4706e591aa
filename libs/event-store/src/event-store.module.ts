import { Global, Inject, Logger, Module, BeforeApplicationShutdown } from '@nestjs/common';

import { ENVIRONMENT, Environment } from '@observe/config';
import { DATABASE_URL, installSchema, Transactions } from '@observe/database';

import { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { postgresEventStoreSchema } from './postgres/postgres-event-store.schema';
import { UpcasterRegistry } from './upcasters';

/**
 * Chooses the adapter once at boot: EventStoreDB/KurrentDB when
 * EVENTSTORE_URL is set, PostgreSQL otherwise. Nothing else knows which.
 */
@Global()
@Module({
  providers: [
    { provide: UpcasterRegistry, useValue: new UpcasterRegistry() },
    {
      provide: EventStore,
      inject: [ENVIRONMENT, Transactions, DATABASE_URL, UpcasterRegistry],
      useFactory: async (
        environment: Environment,
        transactions: Transactions,
        databaseUrl: string,
        upcasters: UpcasterRegistry,
      ): Promise<EventStore> => {
        const logger = new Logger('EventStoreModule');
        if (environment.EVENTSTORE_URL) {
          const store = new EventStoreDbEventStore({
            connectionString: environment.EVENTSTORE_URL,
            upcasters,
          });
          await store.ping();
          logger.log({ msg: 'event store: EventStoreDB/KurrentDB' });
          return store;
        }

        await installSchema(transactions.dataSource, postgresEventStoreSchema);
        logger.log({ msg: 'event store: PostgreSQL' });
        return new PostgresEventStore({ transactions, listenUrl: databaseUrl, upcasters });
      },
    },
  ],
  exports: [EventStore, UpcasterRegistry],
})
export class EventStoreModule implements BeforeApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
