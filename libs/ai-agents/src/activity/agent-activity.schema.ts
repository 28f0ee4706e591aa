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
    // A batch's agent requests with their counts of events. A function, so each
    // connection plans the insert once for every batch.
    `CREATE OR REPLACE FUNCTION ai_agents.count_mutations(p_batch jsonb)
       RETURNS void LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO ${API_MUTATIONS_TABLE} AS counted (agent_id, mutation_key, day, at, events)
       SELECT b.agent_id, b.mutation_key, (b.at AT TIME ZONE 'UTC')::date, b.at, b.events
         FROM jsonb_to_recordset(p_batch)
           AS b (agent_id text, mutation_key text, at timestamptz, events integer)
       ON CONFLICT (agent_id, mutation_key)
       DO UPDATE SET events = counted.events + EXCLUDED.events;
     END $$`,
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
