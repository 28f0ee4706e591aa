import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres.launcher';
import { startKafkaForTests } from './kafka';

/**
 * Starts the real servers the suite needs once: PostgreSQL (embedded unless
 * DATABASE_URL is given) and Kafka (the project's broker script unless
 * KAFKA_BROKERS is given). Test files get their own database on that server.
 */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..', '..', '.data', 'test');
  mkdirSync(root, { recursive: true });

  if (!process.env.TEST_DATABASE_ADMIN_URL) {
    if (process.env.DATABASE_URL) {
      process.env.TEST_DATABASE_ADMIN_URL = process.env.DATABASE_URL;
    } else {
      const port = Number(process.env.TEST_POSTGRES_PORT ?? 55432);
      const server = await startEmbeddedPostgres({
        dataDir: join(root, `pg-${port}`),
        port,
        database: 'observe_test',
      });
      process.env.TEST_DATABASE_ADMIN_URL = server.url;
      globalThis.__observeStopPostgres = server.stop;
    }
  }

  await startKafkaForTests(root);
}
