import { hkdfSync, randomBytes } from 'node:crypto';

import { DataSource } from 'typeorm';

const KEY_NAME = 'webhook-secrets-key';

/**
 * The key that seals webhook signing secrets. From SECRETS_ENCRYPTION_KEY
 * when set (derived with HKDF, so the same variable can serve other uses
 * under other labels); else 32 random bytes generated at first boot and kept
 * in the database, never in the event store. Expects the schema installed.
 */
export async function loadSecretsKey(
  dataSource: DataSource,
  fromEnvironment?: string,
): Promise<Buffer> {
  if (fromEnvironment) {
    const derived = hkdfSync('sha256', fromEnvironment, '24observe', 'webhook-signing-secrets', 32);
    return Buffer.from(derived);
  }

  // Several processes may boot at once: the first insert wins, everyone reads it back.
  await dataSource.query(
    `INSERT INTO subscriptions.platform_keys (name, value) VALUES ($1, $2)
     ON CONFLICT (name) DO NOTHING`,
    [KEY_NAME, randomBytes(32).toString('base64')],
  );
  const rows: Array<{ value: string }> = await dataSource.query(
    `SELECT value FROM subscriptions.platform_keys WHERE name = $1`,
    [KEY_NAME],
  );
  const stored = rows[0]?.value;
  if (!stored)
    throw new Error('the webhook secrets key is missing from subscriptions.platform_keys');
  return Buffer.from(stored, 'base64');
}
