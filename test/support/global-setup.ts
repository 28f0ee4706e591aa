import { chmodSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres.launcher';
import { startKafkaForTests } from './kafka';

/**
 * Starts the real servers the suite needs once per run: PostgreSQL (embedded
 * unless DATABASE_URL or TEST_DATABASE_ADMIN_URL is given) and Kafka (the
 * project's broker script unless KAFKA_BROKERS is given). Each run gets its
 * own port and data directory, so several runs on one machine do not clash;
 * each test file then creates its own database on that server.
 */
export default async function globalSetup(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'observe-test-'));
  // The embedded server runs as the postgres user, which must reach its data.
  chmodSync(root, 0o755);
  globalThis.__observeTestRoot = root;

  if (!process.env.TEST_DATABASE_ADMIN_URL) {
    if (process.env.DATABASE_URL) {
      process.env.TEST_DATABASE_ADMIN_URL = process.env.DATABASE_URL;
    } else {
      const server = await startEmbeddedPostgres({
        dataDir: join(root, 'postgres'),
        port: await freePort(),
        database: 'observe_test',
      });
      process.env.TEST_DATABASE_ADMIN_URL = server.url;
      globalThis.__observeStopPostgres = async () => {
        await server.stop();
        await rm(root, { recursive: true, force: true });
      };
    }
  }

  await startKafkaForTests(root);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
