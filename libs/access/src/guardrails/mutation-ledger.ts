import { EntityManager } from 'typeorm';

import { advisoryKey, FoldedStatements, sqlStateOf } from '@observe/database';

import { utcDay } from './mutation-quota';

export interface StoredOutcome {
  fingerprint: string;
  status: number;
  body: unknown;
}

export interface StartedMutation {
  /** False when the token was revoked since it was last looked up. */
  tokenActive: boolean;
  /** False while another request holds the same Idempotency-Key. */
  locked: boolean;
  stored?: StoredOutcome;
  /** Mutations the token already made today. */
  used: number;
}

export interface FinishMutation {
  tokenId: string;
  now: Date;
  limit: number | null;
  key?: string;
  outcome: StoredOutcome;
}

/**
 * A token's daily allowance is split over this many counter rows. One row
 * would make every mutation of a token wait for the previous one's commit
 * (its row lock lasts until then); shards let them commit together.
 */
const QUOTA_SHARDS = 16;
/** Raised by access.finish_mutation when every shard of the day is full. */
const LIMIT_USED_UP = 'QU001';
/** Raised by access.claim_mutation when the mutation is not plainly new. */
const NOT_CLAIMED = 'MU001';

/**
 * What the guardrails keep per mutation, in the request's transaction: the
 * Idempotency-Key's lock and stored outcome, and the token's daily count.
 * Each end of a mutation is one round trip that also carries BEGIN or COMMIT
 * (`access.start_mutation`, `access.finish_mutation`), so the record commits
 * exactly with the events.
 *
 * Most mutations are new: `claim` sends their start ahead of their first
 * write, in its round trip, and only checks. A mutation it cannot claim is
 * rolled back and starts again the careful way, with `start` answering why.
 */
export class MutationLedger {
  constructor(private readonly ttlHours: number) {}

  claim(
    statements: FoldedStatements,
    tokenId: string,
    key: string | undefined,
    limit: number | null,
    now: Date,
  ): void {
    statements.openWith(`SELECT access.claim_mutation($1, $2, $3, $4, $5)`, [
      keyLock(tokenId, key),
      tokenId,
      key ?? null,
      utcDay(now),
      limit,
    ]);
  }

  /** True for the failure of a claim: the mutation must take the careful way. */
  isUnclaimed(error: unknown): boolean {
    return sqlStateOf(error) === NOT_CLAIMED;
  }

  async start(
    statements: FoldedStatements,
    tokenId: string,
    key: string | undefined,
    now: Date,
  ): Promise<StartedMutation> {
    const [row] = await statements.first(`SELECT * FROM access.start_mutation($1, $2, $3, $4)`, [
      keyLock(tokenId, key),
      tokenId,
      key ?? null,
      utcDay(now),
    ]);
    const stored =
      row.fingerprint === null
        ? undefined
        : {
            fingerprint: row.fingerprint as string,
            status: row.status as number,
            body: row.body,
          };
    return {
      tokenActive: row.token_active as boolean,
      locked: row.locked as boolean,
      stored,
      used: (row.used as number | null) ?? 0,
    };
  }

  /**
   * Counts the mutation against the limit, stores its outcome under the key
   * and commits. Answers the day's count with this one, null without a
   * limit, or 'exhausted' when every shard is full (nothing was committed).
   */
  async finish(
    statements: FoldedStatements,
    mutation: FinishMutation,
  ): Promise<number | null | 'exhausted'> {
    try {
      const [row] = await statements.last(
        `SELECT access.finish_mutation($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS used`,
        [
          mutation.tokenId,
          utcDay(mutation.now),
          mutation.limit,
          Math.floor(Math.random() * QUOTA_SHARDS),
          QUOTA_SHARDS,
          mutation.key ?? null,
          mutation.key ? mutation.outcome.fingerprint : null,
          mutation.outcome.status,
          mutation.key ? JSON.stringify(mutation.outcome.body) : null,
          this.ttlHours,
        ],
      );
      return row.used as number | null;
    } catch (error) {
      if (sqlStateOf(error) === LIMIT_USED_UP) return 'exhausted';
      throw error;
    }
  }

  /** Expired records are not audit data; dropping them keeps the table small. */
  async purgeExpired(manager: EntityManager): Promise<number> {
    const result = await manager.query(
      `DELETE FROM access.idempotency_keys WHERE expires_at <= now()`,
    );
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }
}

/** The transaction lock that one Idempotency-Key of one token takes. */
function keyLock(tokenId: string, key: string | undefined): string {
  return advisoryKey(`idempotency:${tokenId}:${key ?? ''}`);
}
