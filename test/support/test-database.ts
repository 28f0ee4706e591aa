import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

/**
 * A fresh database on the suite's PostgreSQL server for one test file, so
 * files run in parallel without seeing each other's events.
 */
export async function createTestDatabase(label: string): Promise<string> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_ADMIN_URL is unset: run tests through jest');

  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
