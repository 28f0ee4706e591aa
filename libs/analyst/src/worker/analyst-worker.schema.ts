import { SchemaDefinition } from '@observe/database';

/** Where the analyst worker is in the global stream; moved with each verdict it writes. */
export const analystWorkerSchema: SchemaDefinition = {
  name: 'analyst-worker',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS analyst_worker`,
    `CREATE TABLE IF NOT EXISTS analyst_worker.checkpoints (
       name text PRIMARY KEY,
       position text NOT NULL DEFAULT 'start',
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
