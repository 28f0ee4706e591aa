import { SchemaDefinition } from '@observe/database';

export const SECURITY_EVENTS_TABLE = 'detections.security_events';
export const DETECTOR_STATE_TABLE = 'detections.detector_state';
export const RULE_WINDOWS_TABLE = 'detections.rule_windows';

/**
 * Raw security events live in an append-only table, not in the event store:
 * they arrive by the thousand and would drown the audit trail. Like the event
 * store, rows carry their writer's transaction id, so the detector reads only
 * committed rows older than every running transaction and never skips a late
 * commit (DESIGN §3). The detector's checkpoint and threshold windows sit
 * beside them and move in the transaction that evaluates a batch.
 */
export const securityEventsSchema: SchemaDefinition = {
  name: 'detections-security-events',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS detections`,
    `CREATE TABLE IF NOT EXISTS ${SECURITY_EVENTS_TABLE} (
       seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
       id uuid NOT NULL,
       batch_id uuid NOT NULL,
       occurred_at timestamptz NOT NULL,
       received_at timestamptz NOT NULL,
       token_id text,
       agent_id text,
       event jsonb NOT NULL,
       CONSTRAINT security_events_id_unique UNIQUE (id)
     )`,
    `CREATE INDEX IF NOT EXISTS security_events_order
       ON ${SECURITY_EVENTS_TABLE} (transaction_id, seq)`,
    `CREATE OR REPLACE FUNCTION detections.refuse_change() RETURNS trigger
       LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'detections.security_events is append-only: % is refused', TG_OP;
     END $$`,
    `CREATE OR REPLACE TRIGGER security_events_refuse_update
       BEFORE UPDATE ON ${SECURITY_EVENTS_TABLE}
       FOR EACH ROW EXECUTE FUNCTION detections.refuse_change()`,
    `CREATE TABLE IF NOT EXISTS ${DETECTOR_STATE_TABLE} (
       name text PRIMARY KEY,
       position text NOT NULL DEFAULT 'start',
       batches bigint NOT NULL DEFAULT 0,
       events_evaluated bigint NOT NULL DEFAULT 0,
       detections bigint NOT NULL DEFAULT 0,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE IF NOT EXISTS ${RULE_WINDOWS_TABLE} (
       rule_id uuid PRIMARY KEY,
       rule_version integer NOT NULL,
       snapshot jsonb NOT NULL,
       updated_at timestamptz NOT NULL
     )`,
  ],
};
