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
       body json NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz NOT NULL,
       PRIMARY KEY (token_id, key)
     )`,
    // Expiry follows insertion order, so a block-range index serves the hourly
    // purge; a b-tree would take a write on one hot page with every mutation.
    `DROP INDEX IF EXISTS access.idempotency_keys_expiry`,
    `CREATE INDEX IF NOT EXISTS idempotency_keys_expiry_ranges
       ON access.idempotency_keys USING brin (expires_at)`,
    `CREATE TABLE IF NOT EXISTS access.mutation_quota_shards (
       token_id uuid NOT NULL,
       day date NOT NULL,
       shard smallint NOT NULL,
       allowance integer NOT NULL,
       used integer NOT NULL DEFAULT 0,
       PRIMARY KEY (token_id, day, shard),
       CHECK (used <= allowance)
     )`,
    `DROP FUNCTION IF EXISTS access.begin_mutation(bigint, uuid, text, date)`,
    // A stored answer is kept as its text (json, not jsonb), so a replay sends
    // back the same bytes, keys in their order; json is also cheaper to store.
    `DO $$
     BEGIN
       IF (SELECT data_type FROM information_schema.columns
            WHERE table_schema = 'access' AND table_name = 'idempotency_keys'
              AND column_name = 'body') = 'jsonb' THEN
         ALTER TABLE access.idempotency_keys ALTER COLUMN body TYPE json USING body::json;
         DROP FUNCTION IF EXISTS access.start_mutation(bigint, uuid, text, date);
       END IF;
     END $$`,
    `DROP FUNCTION IF EXISTS access.finish_mutation(
       uuid, date, integer, integer, integer, text, text, integer, jsonb, integer)`,
    // The start of a mutation in one round trip: check that the token still
    // holds (a revocation counts from the next request, whatever a process has
    // cached), take the key's lock, then (in a fresh snapshot, so a request
    // that just committed is seen) read its stored outcome and the day's count.
    `CREATE OR REPLACE FUNCTION access.start_mutation(
       p_lock bigint, p_token uuid, p_key text, p_day date
     ) RETURNS TABLE (
       token_active boolean, locked boolean, fingerprint text, status integer, body json,
       used integer
     ) LANGUAGE plpgsql AS $$
     BEGIN
       IF NOT EXISTS (
         SELECT 1 FROM access.tokens t WHERE t.id = p_token AND t.revoked_at IS NULL
       ) THEN
         RETURN QUERY SELECT false, false, NULL::text, NULL::integer, NULL::json, NULL::integer;
         RETURN;
       END IF;
       IF p_key IS NOT NULL AND NOT pg_try_advisory_xact_lock(p_lock) THEN
         RETURN QUERY SELECT true, false, NULL::text, NULL::integer, NULL::json, NULL::integer;
         RETURN;
       END IF;
       RETURN QUERY
         SELECT true, true, k.fingerprint, k.status, k.body,
                (SELECT coalesce(sum(q.used), 0)::integer FROM access.mutation_quota_shards q
                  WHERE q.token_id = p_token AND q.day = p_day)
           FROM (SELECT 1) AS one
           LEFT JOIN access.idempotency_keys k
             ON k.token_id = p_token AND k.key = p_key AND k.expires_at > now();
     END $$`,
    // The start of a mutation sent ahead of its first write, before anything
    // is known of the request's past: access.start_mutation's checks, letting
    // the mutation go on only when it is new (token active, key free and
    // unused, limit not reached). Otherwise it raises MU001, so nothing after
    // it in the transaction runs and the caller takes the careful way.
    `CREATE OR REPLACE FUNCTION access.claim_mutation(
       p_lock bigint, p_token uuid, p_key text, p_day date, p_limit integer
     ) RETURNS void LANGUAGE plpgsql AS $$
     DECLARE
       v_start record;
     BEGIN
       SELECT * INTO v_start FROM access.start_mutation(p_lock, p_token, p_key, p_day);
       IF NOT v_start.token_active OR NOT v_start.locked OR v_start.fingerprint IS NOT NULL
          OR v_start.used >= p_limit THEN
         RAISE EXCEPTION 'the mutation is not new' USING ERRCODE = 'MU001';
       END IF;
     END $$`,
    // Takes one unit from a shard with room, starting the search at p_first so
    // concurrent mutations spread over the shards, and answers the day's total:
    // the other shards as this statement saw them, plus the one just taken.
    // NULL when no shard with room could be taken (without waiting, if asked).
    `CREATE OR REPLACE FUNCTION access.take_quota_unit(
       p_token uuid, p_day date, p_first integer, p_shards integer, p_skip_locked boolean
     ) RETURNS integer LANGUAGE plpgsql AS $$
     DECLARE
       v_shard smallint;
       v_used integer;
     BEGIN
       -- The shard drawn first, when it has room and no one holds it, needs no search.
       SELECT shard INTO v_shard FROM access.mutation_quota_shards
        WHERE token_id = p_token AND day = p_day AND shard = p_first AND used < allowance
        FOR UPDATE SKIP LOCKED;
       IF v_shard IS NULL AND p_skip_locked THEN
         SELECT shard INTO v_shard FROM access.mutation_quota_shards
          WHERE token_id = p_token AND day = p_day AND used < allowance
          ORDER BY (shard + p_first) % p_shards LIMIT 1 FOR UPDATE SKIP LOCKED;
       ELSIF v_shard IS NULL THEN
         SELECT shard INTO v_shard FROM access.mutation_quota_shards
          WHERE token_id = p_token AND day = p_day AND used < allowance
          ORDER BY (shard + p_first) % p_shards LIMIT 1 FOR UPDATE;
       END IF;
       IF v_shard IS NULL THEN
         RETURN NULL;
       END IF;
       UPDATE access.mutation_quota_shards SET used = used + 1
        WHERE token_id = p_token AND day = p_day AND shard = v_shard
        RETURNING used INTO v_used;
       RETURN v_used + (SELECT coalesce(sum(used), 0) FROM access.mutation_quota_shards
                         WHERE token_id = p_token AND day = p_day AND shard <> v_shard);
     END $$`,
    // The end of a mutation in one round trip, just before commit: count it
    // against the daily limit (the day's shards are made by the first mutation,
    // their allowances summing to the limit, so a refusal means every shard is
    // full), then store the outcome under its Idempotency-Key. Answers the
    // day's count (NULL without a limit); a used-up limit raises QU001, so a
    // COMMIT sent with this statement never runs.
    `CREATE OR REPLACE FUNCTION access.finish_mutation(
       p_token uuid, p_day date, p_limit integer, p_first integer, p_shards integer,
       p_key text, p_fingerprint text, p_status integer, p_body json, p_ttl_hours integer
     ) RETURNS integer LANGUAGE plpgsql AS $$
     DECLARE
       v_used integer;
     BEGIN
       IF p_limit IS NOT NULL THEN
         v_used := access.take_quota_unit(p_token, p_day, p_first, p_shards, true);
         IF v_used IS NULL THEN
           INSERT INTO access.mutation_quota_shards (token_id, day, shard, allowance)
           SELECT p_token, p_day, s,
                  p_limit / p_shards + CASE WHEN s < p_limit % p_shards THEN 1 ELSE 0 END
             FROM generate_series(0, p_shards - 1) AS s
           ON CONFLICT DO NOTHING;
           v_used := coalesce(
             access.take_quota_unit(p_token, p_day, p_first, p_shards, true),
             access.take_quota_unit(p_token, p_day, p_first, p_shards, false));
         END IF;
         IF v_used IS NULL THEN
           RAISE EXCEPTION 'the daily mutation limit is used up' USING ERRCODE = 'QU001';
         END IF;
       END IF;
       IF p_key IS NOT NULL THEN
         INSERT INTO access.idempotency_keys (token_id, key, fingerprint, status, body, expires_at)
         VALUES (p_token, p_key, p_fingerprint, p_status, p_body,
                 now() + make_interval(hours => p_ttl_hours))
         ON CONFLICT (token_id, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, body = EXCLUDED.body,
               created_at = now(), expires_at = EXCLUDED.expires_at;
       END IF;
       RETURN v_used;
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
