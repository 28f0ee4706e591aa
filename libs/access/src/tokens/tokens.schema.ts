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
