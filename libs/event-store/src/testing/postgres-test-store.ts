import { Client } from 'pg';

import { createDataSource, installSchema, Transactions } from '@observe/database';

import { NewEvent } from '../event-envelope';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { postgresEventStoreSchema } from '../postgres/postgres-event-store.schema';
import { UpcasterRegistry } from '../upcasters';
import { EventStoreUnderTest, HeldAppend } from './event-store.contract';

export interface PostgresTestStore extends EventStoreUnderTest {
  store: PostgresEventStore;
  transactions: Transactions;
  close(): Promise<void>;
}

/** A PostgreSQL event store on `url`, with the hooks the contract suite uses. */
export async function openPostgresTestStore(url: string): Promise<PostgresTestStore> {
  const dataSource = await createDataSource(url, 30).initialize();
  await installSchema(dataSource, postgresEventStoreSchema);
  const transactions = new Transactions(dataSource);
  const upcasters = new UpcasterRegistry();
  const store = new PostgresEventStore({ transactions, listenUrl: url, upcasters });

  return {
    store,
    transactions,
    registerUpcaster: (type, fromVersion, upcast) =>
      upcasters.register({ type, fromVersion, upcast: (data) => upcast(data) as typeof data }),
    beginHeldAppend: async (streamId: string, events: NewEvent[]): Promise<HeldAppend> => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('BEGIN');
      await client.query(
        `SELECT * FROM event_store.append_events($1, 'any', $2::uuid[], $3::text[], $4::int[],
           $5::jsonb, $6::jsonb)`,
        [
          streamId,
          events.map((event) => event.eventId),
          events.map((event) => event.type),
          events.map((event) => event.schemaVersion),
          JSON.stringify(events.map((event) => event.data)),
          JSON.stringify(events.map((event) => event.metadata)),
        ],
      );
      const finish = async (statement: string): Promise<void> => {
        await client.query(statement);
        await client.end();
      };
      return { commit: () => finish('COMMIT'), rollback: () => finish('ROLLBACK') };
    },
    close: async () => {
      await store.close();
      await dataSource.destroy();
    },
  };
}
