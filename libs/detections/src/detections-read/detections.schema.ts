import { SchemaDefinition } from '@observe/database';

export const DETECTIONS_TABLE = 'detections.detections';

export const detectionsSchema: SchemaDefinition = {
  name: 'detections-list',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS detections`,
    `CREATE TABLE IF NOT EXISTS ${DETECTIONS_TABLE} (
       id uuid PRIMARY KEY,
       rule_id uuid NOT NULL,
       triggered_at timestamptz NOT NULL,
       severity text NOT NULL,
       incident_id uuid NOT NULL,
       event_id uuid NOT NULL,
       data jsonb NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS detections_by_time
       ON ${DETECTIONS_TABLE} (triggered_at DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS detections_by_rule
       ON ${DETECTIONS_TABLE} (rule_id, triggered_at DESC, id DESC)`,
  ],
};
