import { DomainError } from '@observe/core';
import { EntityManager } from 'typeorm';

export interface QuotaState {
  limit: number;
  used: number;
  resetSeconds: number;
}

/**
 * A token's daily allowance is split over this many counter rows. One row
 * would make every mutation of a token wait for the previous one's commit
 * (its row lock lasts until then); shards let them commit together.
 */
const SHARDS = 16;

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function secondsUntilUtcMidnight(now: Date): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
}

/** IETF RateLimit headers (structured-field form) for a daily mutation cap. */
export function rateLimitHeaders(state: QuotaState): Record<string, string> {
  const remaining = Math.max(0, state.limit - state.used);
  return {
    'RateLimit-Policy': `"daily-mutations";q=${state.limit};w=86400`,
    RateLimit: `"daily-mutations";r=${remaining};t=${state.resetSeconds}`,
  };
}

export async function readQuota(
  manager: EntityManager,
  tokenId: string,
  limit: number,
  now: Date,
): Promise<QuotaState> {
  const [row] = await manager.query(
    `SELECT coalesce(sum(used), 0)::int AS used
       FROM access.mutation_quota_shards WHERE token_id = $1 AND day = $2`,
    [tokenId, utcDay(now)],
  );
  return { limit, used: row.used, resetSeconds: secondsUntilUtcMidnight(now) };
}

/**
 * Counts one mutation inside the request's transaction, refusing past the
 * limit. It runs last, just before commit, and takes one shard with room:
 * first any shard no other transaction holds, else it waits for one, so a
 * refusal means every shard is full. The allowances add up to the limit, so
 * exactly `limit` committed mutations pass per UTC day, across processes.
 */
export async function consumeQuota(
  manager: EntityManager,
  tokenId: string,
  limit: number,
  now: Date,
): Promise<QuotaState> {
  const day = utcDay(now);
  const resetSeconds = secondsUntilUtcMidnight(now);

  let used = await takeShard(manager, tokenId, day, 'SKIP LOCKED');
  if (used === undefined) {
    await createShards(manager, tokenId, day, limit);
    used =
      (await takeShard(manager, tokenId, day, 'SKIP LOCKED')) ??
      (await takeShard(manager, tokenId, day, ''));
  }
  if (used === undefined) throw quotaExceeded({ limit, used: limit, resetSeconds });
  return { limit, used, resetSeconds };
}

/** Takes one unit from a shard with room; answers the day's total, or undefined when none. */
async function takeShard(
  manager: EntityManager,
  tokenId: string,
  day: string,
  wait: 'SKIP LOCKED' | '',
): Promise<number | undefined> {
  // The total comes back in the same round trip: the other shards as this
  // statement saw them, plus the one just taken.
  const rows: Array<{ used: number | null }> = await manager.query(
    `WITH taken AS (
       UPDATE access.mutation_quota_shards q SET used = q.used + 1
        WHERE (q.token_id, q.day, q.shard) = (
          SELECT token_id, day, shard FROM access.mutation_quota_shards
           WHERE token_id = $1 AND day = $2 AND used < allowance
           ORDER BY (shard + $3) % ${SHARDS}
           LIMIT 1 FOR UPDATE ${wait})
        RETURNING q.shard, q.used)
     SELECT ((SELECT used FROM taken)
            + (SELECT coalesce(sum(used), 0) FROM access.mutation_quota_shards s
                WHERE s.token_id = $1 AND s.day = $2
                  AND s.shard <> (SELECT shard FROM taken)))::int AS used`,
    [tokenId, day, Math.floor(Math.random() * SHARDS)],
  );
  return rows[0]?.used ?? undefined;
}

/** The day's shards, made by whichever mutation comes first; their allowances sum to the limit. */
async function createShards(
  manager: EntityManager,
  tokenId: string,
  day: string,
  limit: number,
): Promise<void> {
  await manager.query(
    `INSERT INTO access.mutation_quota_shards (token_id, day, shard, allowance)
     SELECT $1, $2, s, $3 / ${SHARDS} + CASE WHEN s < $3 % ${SHARDS} THEN 1 ELSE 0 END
       FROM generate_series(0, ${SHARDS - 1}) AS s
     ON CONFLICT DO NOTHING`,
    [tokenId, day, limit],
  );
}

export function quotaExceeded(state: QuotaState): DomainError {
  return new DomainError(
    'quota_exceeded',
    `This token's daily mutation limit of ${state.limit} is used up; it resets at 00:00 UTC.`,
    {
      limit: state.limit,
      retryAfterSeconds: state.resetSeconds,
      headers: rateLimitHeaders({ ...state, used: state.limit }),
    },
  );
}
