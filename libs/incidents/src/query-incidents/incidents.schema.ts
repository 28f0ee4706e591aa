import { SchemaDefinition } from '@observe/database';

/** The incident columns events change, with their types for the batch update. */
export const CHANGEABLE_COLUMNS = {
  status: 'text',
  severity: 'text',
  assignee: 'text',
  alert_count: 'integer',
  acknowledged_at: 'timestamptz',
  resolved_at: 'timestamptz',
  resolution_note: 'text',
  last_update: 'json',
  analyzed_at: 'timestamptz',
  updated_at: 'timestamptz',
} as const;

/** Sets each column a batch changed, leaving the others as they are. */
const APPLY_CHANGES = `UPDATE incidents.incidents AS i SET
  ${Object.entries(CHANGEABLE_COLUMNS)
    .map(
      ([column, type]) =>
        `${column} = CASE WHEN c.changes ? '${column}'
          THEN (c.changes->>'${column}')::${type} ELSE i.${column} END`,
    )
    .join(',\n  ')},
  sequence = (c.changes->>'sequence')::integer
  FROM jsonb_array_elements(p_changes) AS c(changes)
 WHERE i.id = (c.changes->>'id')::uuid`;

/** The incidents read model: one row per incident, and every alert it took. */
export const incidentsSchema: SchemaDefinition = {
  name: 'incidents-read-model',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS incidents`,
    `CREATE TABLE IF NOT EXISTS incidents.incidents (
       id uuid PRIMARY KEY,
       kind text NOT NULL,
       title text NOT NULL,
       summary text,
       status text NOT NULL,
       severity text NOT NULL,
       service text,
       assignee text,
       alert_count integer NOT NULL,
       dedup_key text,
       fingerprint text NOT NULL,
       source text,
       links json NOT NULL,
       opened_at timestamptz NOT NULL,
       acknowledged_at timestamptz,
       resolved_at timestamptz,
       resolution_note text,
       last_update json,
       analyzed_at timestamptz,
       updated_at timestamptz NOT NULL,
       sequence integer NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS incidents_by_opened
       ON incidents.incidents (opened_at DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS incidents_by_service
       ON incidents.incidents (service, opened_at DESC)`,
    `CREATE INDEX IF NOT EXISTS incidents_by_fingerprint
       ON incidents.incidents (service, fingerprint, opened_at DESC)`,
    `CREATE INDEX IF NOT EXISTS incidents_open ON incidents.incidents (service)
       WHERE status <> 'resolved'`,
    `CREATE TABLE IF NOT EXISTS incidents.alerts (
       event_id uuid PRIMARY KEY,
       incident_id uuid NOT NULL,
       service text,
       dedup_key text,
       summary text NOT NULL,
       severity text NOT NULL,
       source text,
       received_at timestamptz NOT NULL,
       position text NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS alerts_by_service ON incidents.alerts (service, received_at DESC)`,
    // A function, so each connection plans the update once for every batch.
    `CREATE OR REPLACE FUNCTION incidents.apply_changes(p_changes jsonb)
       RETURNS void LANGUAGE plpgsql AS $$
     BEGIN
       ${APPLY_CHANGES};
     END $$`,
  ],
};

export const INCIDENTS_TABLES = ['incidents.incidents', 'incidents.alerts'];
