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
    // Moves a checkpoint in the batch's transaction. The batch's commit need
    // not wait for its WAL flush (see ProjectionWorker). A function, so each
    // connection plans the statement once for every batch it commits.
    `CREATE OR REPLACE FUNCTION projections.move_checkpoint(
       p_name text, p_position text, p_events integer
     ) RETURNS void LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM set_config('synchronous_commit', 'off', true);
       UPDATE projections.checkpoints
          SET position = p_position, events_applied = events_applied + p_events,
              updated_at = now()
        WHERE name = p_name;
     END $$`,
  ],
};
