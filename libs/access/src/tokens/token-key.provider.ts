import { randomBytes } from 'node:crypto';

import { DataSource } from 'typeorm';

import { installSchema } from '@observe/database';

import { accessSchema } from './tokens.schema';

/**
 * The HMAC key for token hashes: TOKEN_HASH_KEY when set, else one generated
 * at first boot and kept in the database (never in the event store).
 */
export async function loadTokenHashKey(
  dataSource: DataSource,
  fromEnvironment?: string,
): Promise<Buffer> {
  await installSchema(dataSource, accessSchema);
  if (fromEnvironment) return Buffer.from(fromEnvironment, 'utf8');

  const candidate = randomBytes(32).toString('base64');
  await dataSource.query(
    `INSERT INTO access.platform_keys (name, value) VALUES ('token-hash-key', $1)
     ON CONFLICT (name) DO NOTHING`,
    [candidate],
  );
  const [row] = await dataSource.query(
    `SELECT value FROM access.platform_keys WHERE name = 'token-hash-key'`,
  );
  return Buffer.from(row.value, 'base64');
}
