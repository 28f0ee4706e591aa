import { SchemaDefinition } from '@observe/database';

export const ESCALATION_POLICIES_TABLE = 'operations.escalation_policies';
export const SERVICE_POLICIES_TABLE = 'operations.escalation_policy_services';

export const escalationPoliciesSchema: SchemaDefinition = {
  name: 'operations-escalation-policies',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS operations`,
    `CREATE TABLE IF NOT EXISTS ${ESCALATION_POLICIES_TABLE} (
       id text PRIMARY KEY,
       name text NOT NULL,
       levels jsonb NOT NULL,
       repeat integer NOT NULL,
       services text[] NOT NULL,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS escalation_policies_by_creation
       ON ${ESCALATION_POLICIES_TABLE} (created_at DESC, id DESC)`,
    // One policy per service: the latest attachment wins.
    `CREATE TABLE IF NOT EXISTS ${SERVICE_POLICIES_TABLE} (
       service_id text PRIMARY KEY,
       policy_id text NOT NULL
     )`,
  ],
};
