import { SchemaDefinition } from '@observe/database';

/**
 * Which incident a (service, dedup key) belongs to. Written in the same
 * transaction as the incident's events (an inline table on the write side,
 * not a projection); it can be rebuilt from IncidentOpened events.
 */
export const alertDedupSchema: SchemaDefinition = {
  name: 'incident-ingest',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS incident_ingest`,
    `CREATE TABLE IF NOT EXISTS incident_ingest.dedup_keys (
       service text NOT NULL,
       dedup_key text NOT NULL,
       incident_id uuid NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (service, dedup_key)
     )`,
  ],
};
