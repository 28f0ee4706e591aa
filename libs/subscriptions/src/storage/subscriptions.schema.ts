import { SchemaDefinition } from '@observe/database';

/**
 * Subscriptions are written with their events in one transaction (the rows
 * are the current state the dispatchers read). Deliveries are work items:
 * `pending` ones are due at `next_attempt_at`; a claim leases a row until
 * `leased_until`, past the attempt's timeout, so a crashed dispatcher's claim
 * lapses and is reaped. `held` deliveries wait for their subscription to be
 * resumed. Attempts are an append-only log.
 */
export const subscriptionsSchema: SchemaDefinition = {
  name: 'subscriptions',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS subscriptions`,
    `CREATE TABLE IF NOT EXISTS subscriptions.platform_keys (
       name text PRIMARY KEY,
       value text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE IF NOT EXISTS subscriptions.subscriptions (
       id uuid PRIMARY KEY,
       url text NOT NULL,
       event_types text[] NOT NULL,
       description text,
       status text NOT NULL,
       disabled_reason text,
       disabled_at timestamptz,
       secret text NOT NULL,
       previous_secret text,
       previous_secret_expires_at timestamptz,
       secret_rotated_at timestamptz,
       failing_since timestamptz,
       created_by text,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       deleted_at timestamptz
     )`,
    `CREATE INDEX IF NOT EXISTS subscriptions_by_creation
       ON subscriptions.subscriptions (created_at, id) WHERE deleted_at IS NULL`,
    `CREATE TABLE IF NOT EXISTS subscriptions.deliveries (
       id uuid PRIMARY KEY,
       subscription_id uuid NOT NULL REFERENCES subscriptions.subscriptions (id),
       event_id text NOT NULL,
       event_type text NOT NULL,
       payload text NOT NULL,
       correlation_id text,
       status text NOT NULL,
       attempts integer NOT NULL DEFAULT 0,
       round_attempts integer NOT NULL DEFAULT 0,
       next_attempt_at timestamptz,
       lease_id uuid,
       leased_until timestamptz,
       last_status_code integer,
       last_error text,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       delivered_at timestamptz,
       dead_lettered_at timestamptz,
       CONSTRAINT deliveries_once_per_event UNIQUE (subscription_id, event_id)
     )`,
    // Claims walk this in due order and stop at their limit, however long the backlog.
    `CREATE INDEX IF NOT EXISTS deliveries_claimable
       ON subscriptions.deliveries (next_attempt_at)
       WHERE status = 'pending' AND leased_until IS NULL`,
    `CREATE INDEX IF NOT EXISTS deliveries_leased
       ON subscriptions.deliveries (leased_until) WHERE leased_until IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS deliveries_by_subscription
       ON subscriptions.deliveries (subscription_id, created_at DESC, id DESC)`,
    `CREATE TABLE IF NOT EXISTS subscriptions.delivery_attempts (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       delivery_id uuid NOT NULL,
       subscription_id uuid NOT NULL,
       attempt integer NOT NULL,
       started_at timestamptz NOT NULL,
       outcome text NOT NULL,
       status_code integer,
       latency_ms integer NOT NULL,
       error text,
       error_kind text,
       response_snippet text,
       worker text NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS delivery_attempts_by_delivery
       ON subscriptions.delivery_attempts (delivery_id, id)`,
  ],
};

export type DeliveryStatus = 'pending' | 'held' | 'delivered' | 'dead_lettered' | 'cancelled';
