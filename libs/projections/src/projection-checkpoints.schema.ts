import { SchemaDefinition } from '@observe/database';

export const projectionCheckpointsSchema: SchemaDefinition = {
  name: 'projection-checkpoints',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS projections`,
    `CREATE TABLE IF NOT EXISTS projections.checkpoints (
       name text PRIMARY KEY,
       position text NOT NULL DEFAULT 'start',
       state text NOT NULL DEFAULT 'running',
       last_error text,
       failed_event_id text,
       rebuild_requested boolean NOT NULL DEFAULT false,
       events_applied bigint NOT NULL DEFAULT 0,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
