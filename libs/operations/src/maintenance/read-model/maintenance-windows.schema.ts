import { SchemaDefinition } from '@observe/database';

export const MAINTENANCE_WINDOWS_TABLE = 'operations.maintenance_windows';
export const SUPPRESSED_ALERTS_TABLE = 'operations.suppressed_alerts';

export const maintenanceWindowsSchema: SchemaDefinition = {
  name: 'operations-maintenance-windows',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS operations`,
    `CREATE TABLE IF NOT EXISTS ${MAINTENANCE_WINDOWS_TABLE} (
       id text PRIMARY KEY,
       services text[] NOT NULL,
       starts_at timestamptz NOT NULL,
       ends_at timestamptz NOT NULL,
       reason text NOT NULL,
       status text NOT NULL,
       ended_at timestamptz,
       cancelled_at timestamptz,
       created_at timestamptz NOT NULL,
       suppressed_alerts integer NOT NULL DEFAULT 0
     )`,
    `CREATE INDEX IF NOT EXISTS maintenance_windows_services
       ON ${MAINTENANCE_WINDOWS_TABLE} USING gin (services)`,
    `CREATE INDEX IF NOT EXISTS maintenance_windows_by_start
       ON ${MAINTENANCE_WINDOWS_TABLE} (starts_at DESC, id DESC)`,
    `CREATE TABLE IF NOT EXISTS ${SUPPRESSED_ALERTS_TABLE} (
       event_id text NOT NULL,
       window_id text NOT NULL,
       window_ids text[] NOT NULL,
       service text NOT NULL,
       dedup_key text,
       summary text NOT NULL,
       severity text,
       source text,
       suppressed_at timestamptz NOT NULL,
       PRIMARY KEY (window_id, event_id)
     )`,
    `CREATE INDEX IF NOT EXISTS suppressed_alerts_by_service
       ON ${SUPPRESSED_ALERTS_TABLE} (service, suppressed_at DESC, event_id DESC)`,
    `CREATE INDEX IF NOT EXISTS suppressed_alerts_by_window
       ON ${SUPPRESSED_ALERTS_TABLE} (window_id, suppressed_at DESC, event_id DESC)`,
  ],
};
