import { SchemaDefinition } from '@observe/database';

export const MONITORS_TABLE = 'operations.monitors';

/** The monitors read model. Sealed credentials stay here for the checks; no answer selects them. */
export const monitorsSchema: SchemaDefinition = {
  name: 'operations-monitors',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS operations`,
    `CREATE TABLE IF NOT EXISTS ${MONITORS_TABLE} (
       id text PRIMARY KEY,
       name text NOT NULL,
       service text NOT NULL,
       kind text NOT NULL,
       settings jsonb NOT NULL,
       status text NOT NULL,
       sealed_credentials text,
       credentials_updated_at timestamptz,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS monitors_by_creation
       ON ${MONITORS_TABLE} (created_at DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS monitors_by_service ON ${MONITORS_TABLE} (service)`,
  ],
};

export const MONITOR_RUNS_TABLE = 'operations.monitor_runs';
export const METRIC_POINTS_TABLE = 'operations.metric_points';

/**
 * Worker state, not a read model: when each monitor is due, its streak of
 * failures and whether it has an alert open. Never rebuilt from events.
 */
export const monitorRunsSchema: SchemaDefinition = {
  name: 'operations-monitor-runs',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS operations`,
    `CREATE TABLE IF NOT EXISTS ${MONITOR_RUNS_TABLE} (
       monitor_id text PRIMARY KEY,
       next_run_at timestamptz NOT NULL,
       consecutive_failures integer NOT NULL DEFAULT 0,
       alerting boolean NOT NULL DEFAULT false,
       last_checked_at timestamptz,
       last_outcome text,
       last_detail jsonb
     )`,
    `CREATE INDEX IF NOT EXISTS monitor_runs_due ON ${MONITOR_RUNS_TABLE} (next_run_at)`,
    `CREATE TABLE IF NOT EXISTS ${METRIC_POINTS_TABLE} (
       service text NOT NULL,
       metric text NOT NULL,
       at timestamptz NOT NULL,
       value double precision NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS metric_points_series
       ON ${METRIC_POINTS_TABLE} (service, metric, at DESC)`,
    `CREATE INDEX IF NOT EXISTS metric_points_age ON ${METRIC_POINTS_TABLE} (at)`,
  ],
};
