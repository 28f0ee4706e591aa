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
  const [row] = await manager.query(
    `SELECT coalesce(sum(used), 0)::int AS used
       FROM access.mutation_quota_shards WHERE token_id = $1 AND day = $2`,
    [tokenId, utcDay(now)],
  );
  return { limit, used: row.used, resetSeconds: secondsUntilUtcMidnight(now) };
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
