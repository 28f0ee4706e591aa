import { SchemaDefinition } from '@observe/database';

/** Where each relay resumes: the last global position whose events the broker acknowledged. */
export const relayCheckpointsSchema: SchemaDefinition = {
  name: 'relay-checkpoints',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS relay`,
    `CREATE TABLE IF NOT EXISTS relay.checkpoints (
       name text PRIMARY KEY,
       position text NOT NULL DEFAULT 'start',
       events_relayed bigint NOT NULL DEFAULT 0,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
