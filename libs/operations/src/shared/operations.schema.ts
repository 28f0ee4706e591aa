import { SchemaDefinition } from '@observe/database';

/** Worker state shared by the operations capabilities (not read models: never rebuilt). */
export const operationsWorkerSchema: SchemaDefinition = {
  name: 'operations-workers',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS operations`,
    `CREATE TABLE IF NOT EXISTS operations.feed_checkpoints (
       name text PRIMARY KEY,
       position text NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
