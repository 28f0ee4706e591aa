import { hkdfSync, randomBytes } from 'node:crypto';

import { DataSource } from 'typeorm';

import { installSchema, SchemaDefinition } from '@observe/database';

const secretKeysSchema: SchemaDefinition = {
  name: 'operations-secret-keys',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS operations`,
    `CREATE TABLE IF NOT EXISTS operations.secret_keys (
       name text PRIMARY KEY,
       value text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};

const KEY_NAME = 'monitor-credentials';

/**
 * The 256-bit key for monitor credentials: derived (HKDF-SHA256) from
 * SECRETS_ENCRYPTION_KEY when set, else generated at first boot and kept in
 * the database, never in the event store, so events hold ciphertext only.
 */
export async function loadSecretsKey(
  dataSource: DataSource,
  fromEnvironment?: string,
): Promise<Buffer> {
  if (fromEnvironment) {
    const derived = hkdfSync('sha256', fromEnvironment, '24observe', 'monitor credentials v1', 32);
    return Buffer.from(derived);
  }

  await installSchema(dataSource, secretKeysSchema);
  // Several processes may boot at once: the first insert wins, all read it back.
  await dataSource.query(
    `INSERT INTO operations.secret_keys (name, value) VALUES ($1, $2)
     ON CONFLICT (name) DO NOTHING`,
    [KEY_NAME, randomBytes(32).toString('base64')],
  );
  const [row]: Array<{ value: string }> = await dataSource.query(
    `SELECT value FROM operations.secret_keys WHERE name = $1`,
    [KEY_NAME],
  );
  return Buffer.from(row.value, 'base64');
}
