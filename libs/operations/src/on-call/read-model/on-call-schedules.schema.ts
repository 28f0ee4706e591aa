import { SchemaDefinition } from '@observe/database';

export const ON_CALL_SCHEDULES_TABLE = 'operations.on_call_schedules';

/** Schedules with their layers and overrides, whole, as the aggregate folds them. */
export const onCallSchedulesSchema: SchemaDefinition = {
  name: 'operations-on-call-schedules',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS operations`,
    `CREATE TABLE IF NOT EXISTS ${ON_CALL_SCHEDULES_TABLE} (
       id text PRIMARY KEY,
       name text NOT NULL,
       team_id text,
       state jsonb NOT NULL,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS on_call_schedules_by_team ON ${ON_CALL_SCHEDULES_TABLE} (team_id)`,
    `CREATE INDEX IF NOT EXISTS on_call_schedules_by_creation
       ON ${ON_CALL_SCHEDULES_TABLE} (created_at DESC, id DESC)`,
  ],
};
