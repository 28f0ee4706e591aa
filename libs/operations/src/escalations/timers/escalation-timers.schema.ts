import { SchemaDefinition } from '@observe/database';

export const ESCALATION_TIMERS_TABLE = 'operations.escalation_timers';

/**
 * Durable escalation timers, one per incident whose service follows a
 * policy. Worker state fed by a checkpointed subscription, never rebuilt:
 * the plan is copied in when the incident opens, so a policy edited later
 * leaves a running escalation as it was.
 */
export const escalationTimersSchema: SchemaDefinition = {
  name: 'operations-escalation-timers',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS operations`,
    `CREATE TABLE IF NOT EXISTS ${ESCALATION_TIMERS_TABLE} (
       incident_id text PRIMARY KEY,
       service_id text NOT NULL,
       policy_id text NOT NULL,
       plan jsonb NOT NULL,
       escalated_levels integer[] NOT NULL DEFAULT '{}',
       acknowledged boolean NOT NULL DEFAULT false,
       resolved boolean NOT NULL DEFAULT false,
       next_due_at timestamptz,
       attempts integer NOT NULL DEFAULT 0,
       last_error text,
       opened_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX IF NOT EXISTS escalation_timers_due
       ON ${ESCALATION_TIMERS_TABLE} (next_due_at) WHERE next_due_at IS NOT NULL`,
  ],
};
