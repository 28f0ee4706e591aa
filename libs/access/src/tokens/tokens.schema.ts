import { SchemaDefinition } from '@observe/database';

/**
 * Access tables. `tokens` is written in the same transaction as the token's
 * events (an inline projection), so a revocation holds from the next request.
 */
export const accessSchema: SchemaDefinition = {
  name: 'access',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS access`,
    `CREATE TABLE IF NOT EXISTS access.platform_keys (
       name text PRIMARY KEY,
       value text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE IF NOT EXISTS access.tokens (
       id uuid PRIMARY KEY,
       name text NOT NULL,
       kind text NOT NULL CHECK (kind IN ('full', 'scoped')),
       scopes text[] NOT NULL,
       daily_mutation_limit integer,
       prefix text NOT NULL,
       secret_hash bytea NOT NULL,
       created_at timestamptz NOT NULL,
       expires_at timestamptz,
       revoked_at timestamptz,
       last_used_at timestamptz,
       created_by text
     )`,
    `CREATE INDEX IF NOT EXISTS tokens_by_prefix ON access.tokens (prefix)`,
    `CREATE TABLE IF NOT EXISTS access.idempotency_keys (
       token_id uuid NOT NULL,
       key text NOT NULL,
       fingerprint text NOT NULL,
       status integer NOT NULL,
       body jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz NOT NULL,
       PRIMARY KEY (token_id, key)
     )`,
    `CREATE INDEX IF NOT EXISTS idempotency_keys_expiry ON access.idempotency_keys (expires_at)`,
    `CREATE TABLE IF NOT EXISTS access.mutation_quota_shards (
       token_id uuid NOT NULL,
       day date NOT NULL,
       shard smallint NOT NULL,
       allowance integer NOT NULL,
       used integer NOT NULL DEFAULT 0,
       PRIMARY KEY (token_id, day, shard),
       CHECK (used <= allowance)
     )`,
    // The start of a mutation in one round trip: take the key's lock, then (in a
    // fresh snapshot, so a request that just committed is seen) read its stored
    // outcome and the token's count for the day.
    `CREATE OR REPLACE FUNCTION access.begin_mutation(
       p_lock bigint, p_token uuid, p_key text, p_day date
     ) RETURNS TABLE (locked boolean, fingerprint text, status integer, body jsonb, used integer)
       LANGUAGE plpgsql AS $$
     BEGIN
       IF p_key IS NOT NULL AND NOT pg_try_advisory_xact_lock(p_lock) THEN
         RETURN QUERY SELECT false, NULL::text, NULL::integer, NULL::jsonb, NULL::integer;
         RETURN;
       END IF;
       RETURN QUERY
         SELECT true, k.fingerprint, k.status, k.body,
                (SELECT coalesce(sum(q.used), 0)::integer FROM access.mutation_quota_shards q
                  WHERE q.token_id = p_token AND q.day = p_day)
           FROM (SELECT 1) AS one
           LEFT JOIN access.idempotency_keys k
             ON k.token_id = p_token AND k.key = p_key AND k.expires_at > now();
     END $$`,
    `CREATE TABLE IF NOT EXISTS access.denials (
       token_id text NOT NULL,
       minute timestamptz NOT NULL,
       status integer NOT NULL,
       reason text NOT NULL,
       agent_id text NOT NULL DEFAULT '',
       count integer NOT NULL,
       sample_path text,
       recorded boolean NOT NULL DEFAULT false,
       PRIMARY KEY (token_id, minute, status, reason, agent_id)
     )`,
    `CREATE INDEX IF NOT EXISTS denials_unrecorded ON access.denials (minute) WHERE NOT recorded`,
  ],
};
