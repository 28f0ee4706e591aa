import { createHash } from 'node:crypto';

import { DataSource } from 'typeorm';

export interface SchemaDefinition {
  /** Unique name; also keys the advisory lock that serialises installers. */
  name: string;
  statements: string[];
}

/**
 * Applies idempotent DDL at boot. Several processes may boot at once on one
 * database, so each definition runs under its own transaction-scoped lock.
 */
export async function installSchema(
  dataSource: DataSource,
  schema: SchemaDefinition,
): Promise<void> {
  const lockKey = advisoryKey(`schema:${schema.name}`);
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
    for (const statement of schema.statements) await manager.query(statement);
  });
}

/** A stable signed 64-bit key for pg advisory locks, as a decimal string. */
export function advisoryKey(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return digest.readBigInt64BE(0).toString();
}
