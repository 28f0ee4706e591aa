import { EntityManager } from 'typeorm';

import { advisoryKey } from '@observe/database';

export interface StoredOutcome {
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * Outcomes of mutations by (token, Idempotency-Key). The record is written in
 * the request's transaction, so it commits exactly when the events do.
 */
export class IdempotencyStore {
  constructor(private readonly ttlHours: number) {}

  /**
   * Takes the key's lock and reads its stored outcome and the token's count
   * for the day, in one round trip (see `access.begin_mutation`).
   */
  async begin(
    manager: EntityManager,
    tokenId: string,
    key: string | undefined,
    day: string,
  ): Promise<{ locked: boolean; stored?: StoredOutcome; used: number }> {
    const [row] = await manager.query(`SELECT * FROM access.begin_mutation($1, $2, $3, $4)`, [
      advisoryKey(`idempotency:${tokenId}:${key ?? ''}`),
      tokenId,
      key ?? null,
      day,
    ]);
    const stored =
      row.fingerprint === null
        ? undefined
        : { fingerprint: row.fingerprint, status: row.status, body: row.body };
    return { locked: row.locked, stored, used: row.used ?? 0 };
  }

  async save(
    manager: EntityManager,
    tokenId: string,
    key: string,
    outcome: StoredOutcome,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO access.idempotency_keys (token_id, key, fingerprint, status, body, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))
       ON CONFLICT (token_id, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, body = EXCLUDED.body,
             created_at = now(), expires_at = EXCLUDED.expires_at`,
      [
        tokenId,
        key,
        outcome.fingerprint,
        outcome.status,
        JSON.stringify(outcome.body),
        this.ttlHours,
      ],
    );
  }

  /** Expired records are not audit data; dropping them keeps the table small. */
  async purgeExpired(manager: EntityManager): Promise<number> {
    const result = await manager.query(
      `DELETE FROM access.idempotency_keys WHERE expires_at <= now()`,
    );
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }
}
