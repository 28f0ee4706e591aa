import { SchemaDefinition } from '@observe/database';

export const API_MUTATIONS_TABLE = 'ai_agents.api_mutations';
export const SPEND_SPIKES_TABLE = 'ai_agents.spend_spikes';
export const AGENT_CASES_TABLE = 'ai_agents.cases';

export const agentActivitySchema: SchemaDefinition = {
  name: 'ai-agents-activity',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS ai_agents`,
    `CREATE TABLE IF NOT EXISTS ${API_MUTATIONS_TABLE} (
       agent_id text NOT NULL,
       mutation_key text NOT NULL,
       day date NOT NULL,
       at timestamptz NOT NULL,
       events integer NOT NULL,
       PRIMARY KEY (agent_id, mutation_key)
     )`,
    `CREATE INDEX IF NOT EXISTS api_mutations_by_day ON ${API_MUTATIONS_TABLE} (day, agent_id)`,
    `CREATE TABLE IF NOT EXISTS ${SPEND_SPIKES_TABLE} (
       agent_id text NOT NULL,
       day date NOT NULL,
       event_id uuid NOT NULL,
       flagged_at timestamptz NOT NULL,
       data jsonb NOT NULL,
       PRIMARY KEY (agent_id, day)
     )`,
    `CREATE TABLE IF NOT EXISTS ${AGENT_CASES_TABLE} (
       case_id uuid PRIMARY KEY,
       agent_id text NOT NULL,
       opened_at timestamptz NOT NULL,
       event_id uuid NOT NULL,
       data jsonb NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS cases_by_agent ON ${AGENT_CASES_TABLE} (agent_id, opened_at DESC)`,
  ],
};
