import { DomainError } from '@observe/core';
import { EntityManager } from 'typeorm';

export interface QuotaState {
  limit: number;
  used: number;
  resetSeconds: number;
}

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
  const rows = await manager.query(
    `SELECT used FROM access.mutation_quota WHERE token_id = $1 AND day = $2`,
    [tokenId, utcDay(now)],
  );
  return { limit, used: rows[0]?.used ?? 0, resetSeconds: secondsUntilUtcMidnight(now) };
}

/**
 * Counts one mutation inside the request's transaction, refusing past the
 * limit. The row lock is taken last, just before commit, so concurrent
 * mutations of one token queue only for the commit itself; only committed
 * mutations count, exactly, across processes.
 */
export async function consumeQuota(
  manager: EntityManager,
  tokenId: string,
  limit: number,
  now: Date,
): Promise<QuotaState> {
  const rows = await manager.query(
    `INSERT INTO access.mutation_quota AS q (token_id, day, used) VALUES ($1, $2, 1)
     ON CONFLICT (token_id, day) DO UPDATE SET used = q.used + 1 WHERE q.used < $3
     RETURNING used`,
    [tokenId, utcDay(now), limit],
  );
  const resetSeconds = secondsUntilUtcMidnight(now);
  if (rows.length === 0) throw quotaExceeded({ limit, used: limit, resetSeconds });
  return { limit, used: rows[0].used, resetSeconds };
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
