import { SchemaDefinition } from '@observe/database';

export const EVENTS_APPENDED_CHANNEL = 'event_store_appended';

/**
 * Events are stamped with their writer's transaction id (xid8). Readers of the
 * global stream only take rows whose transaction is older than every running
 * one, so a transaction that commits late is never skipped (see DESIGN §3).
 *
 * Appends do not NOTIFY inside their own transaction: PostgreSQL serialises
 * the commits of notifying transactions, which would cost concurrent writers
 * their group commit. The adapter notifies after commit instead.
 */
export const postgresEventStoreSchema: SchemaDefinition = {
  name: 'event-store',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS event_store`,
    `CREATE TABLE IF NOT EXISTS event_store.streams (
       stream_id text PRIMARY KEY,
       revision bigint NOT NULL
     )`,
    `CREATE TABLE IF NOT EXISTS event_store.events (
       global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
       event_id uuid NOT NULL,
       stream_id text NOT NULL,
       stream_revision bigint NOT NULL,
       type text NOT NULL,
       schema_version integer NOT NULL,
       data jsonb NOT NULL,
       metadata jsonb NOT NULL,
       recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
       CONSTRAINT events_event_id_unique UNIQUE (event_id),
       CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision)
     )`,
    `CREATE INDEX IF NOT EXISTS events_global_order
       ON event_store.events (transaction_id, global_position)`,
    `CREATE INDEX IF NOT EXISTS events_by_agent
       ON event_store.events ((metadata->>'agentId'), global_position)`,
    `CREATE INDEX IF NOT EXISTS events_by_conversation
       ON event_store.events ((metadata->>'conversationId'), global_position)`,
    `CREATE INDEX IF NOT EXISTS events_by_token
       ON event_store.events (((metadata->'actor')->>'tokenId'), global_position)`,

    // The store is append-only: the database itself refuses changes and deletes.
    `CREATE OR REPLACE FUNCTION event_store.refuse_change() RETURNS trigger
       LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'event_store.events is append-only: % is refused', TG_OP
         USING ERRCODE = 'EV003';
     END $$`,
    `CREATE OR REPLACE TRIGGER events_refuse_update_delete
       BEFORE UPDATE OR DELETE ON event_store.events
       FOR EACH ROW EXECUTE FUNCTION event_store.refuse_change()`,
    `CREATE OR REPLACE TRIGGER events_refuse_truncate
       BEFORE TRUNCATE ON event_store.events
       FOR EACH STATEMENT EXECUTE FUNCTION event_store.refuse_change()`,

    `DROP FUNCTION IF EXISTS event_store.append_events(
       text, text, uuid[], text[], integer[], jsonb[], jsonb[])`,
    // One round trip per append: answer retries, then take the stream's row
    // lock and move its revision in one upsert, check, and insert. The data
    // and metadata come as two JSON arrays, in the order of the ids: a JSON
    // document inside an array literal would need every quote escaped.
    `CREATE OR REPLACE FUNCTION event_store.append_events(
       p_stream_id text,
       p_expected text,
       p_event_ids uuid[],
       p_types text[],
       p_schema_versions integer[],
       p_data jsonb,
       p_metadata jsonb
     ) RETURNS TABLE (
       event_id uuid, stream_revision bigint, transaction_id xid8,
       global_position bigint, already_appended boolean
     ) LANGUAGE plpgsql AS $$
     DECLARE
       v_current bigint;
       v_existing integer;
       v_count integer := cardinality(p_event_ids);
     BEGIN
       -- The upsert locks the row until commit and answers the revision before
       -- this append (-1 for a new stream).
       INSERT INTO event_store.streams AS s (stream_id, revision)
         VALUES (p_stream_id, v_count - 1)
         ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count
         RETURNING s.revision - v_count INTO v_current;

       IF (p_expected = 'no_stream' AND v_current <> -1)
          OR (p_expected = 'stream_exists' AND v_current = -1)
          OR (p_expected ~ '^[0-9]+$' AND v_current <> p_expected::bigint) THEN
         -- A retry of an append that landed fails the check too: answer it
         -- with the stored events, and put the revision back.
         SELECT count(*) INTO v_existing
           FROM event_store.events e
          WHERE e.event_id = ANY(p_event_ids) AND e.stream_id = p_stream_id;
         IF v_existing = v_count THEN
           UPDATE event_store.streams s SET revision = v_current
            WHERE s.stream_id = p_stream_id;
           RETURN QUERY
             SELECT e.event_id, e.stream_revision, e.transaction_id, e.global_position, true
               FROM event_store.events e
              WHERE e.event_id = ANY(p_event_ids)
              ORDER BY e.stream_revision;
           RETURN;
         END IF;
         RAISE EXCEPTION '%', v_current USING ERRCODE = 'EV001';
       END IF;

       RETURN QUERY
         WITH inserted AS (
           INSERT INTO event_store.events AS e
             (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
           SELECT u.id, p_stream_id, v_current + u.ord, u.t, u.v, u.d, u.m
             FROM ROWS FROM (unnest(p_event_ids), unnest(p_types), unnest(p_schema_versions),
                             jsonb_array_elements(p_data), jsonb_array_elements(p_metadata))
                  WITH ORDINALITY AS u(id, t, v, d, m, ord)
           RETURNING e.event_id, e.stream_revision, e.transaction_id, e.global_position
         )
         SELECT i.event_id, i.stream_revision, i.transaction_id, i.global_position, false
           FROM inserted i ORDER BY i.stream_revision;
     END $$`,
  ],
};
