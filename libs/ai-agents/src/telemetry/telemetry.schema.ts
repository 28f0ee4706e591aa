import { SchemaDefinition } from '@observe/database';

export const SPANS_TABLE = 'ai_agents.spans';
export const DAILY_USAGE_TABLE = 'ai_agents.daily_usage';
export const DAILY_MODEL_USAGE_TABLE = 'ai_agents.daily_model_usage';
export const AGENTS_TABLE = 'ai_agents.agents';

/**
 * Spans are telemetry, not domain events: one agent run can send hundreds.
 * They are kept once per (trace, span), so an exporter's retry counts nothing
 * twice, and rolled up per agent and UTC day (and per model) as they land.
 */
export const telemetrySchema: SchemaDefinition = {
  name: 'ai-agents-telemetry',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS ai_agents`,
    `CREATE TABLE IF NOT EXISTS ${SPANS_TABLE} (
       trace_id text NOT NULL,
       span_id text NOT NULL,
       name text,
       agent_id text NOT NULL,
       agent_name text,
       operation text,
       kind text NOT NULL,
       model text,
       input_tokens bigint NOT NULL,
       output_tokens bigint NOT NULL,
       cost numeric(30, 12) NOT NULL,
       cost_source text NOT NULL,
       tool_name text,
       is_error boolean NOT NULL,
       started_at timestamptz NOT NULL,
       duration_ms double precision,
       day date NOT NULL,
       received_at timestamptz NOT NULL,
       PRIMARY KEY (trace_id, span_id)
     )`,
    `CREATE INDEX IF NOT EXISTS spans_by_agent ON ${SPANS_TABLE} (agent_id, started_at DESC)`,
    `CREATE TABLE IF NOT EXISTS ${DAILY_USAGE_TABLE} (
       agent_id text NOT NULL,
       day date NOT NULL,
       calls bigint NOT NULL,
       tool_calls bigint NOT NULL,
       errors bigint NOT NULL,
       input_tokens bigint NOT NULL,
       output_tokens bigint NOT NULL,
       cost numeric(30, 12) NOT NULL,
       PRIMARY KEY (agent_id, day)
     )`,
    `CREATE INDEX IF NOT EXISTS daily_usage_by_day ON ${DAILY_USAGE_TABLE} (day, agent_id)`,
    `CREATE TABLE IF NOT EXISTS ${DAILY_MODEL_USAGE_TABLE} (
       agent_id text NOT NULL,
       day date NOT NULL,
       model text NOT NULL,
       calls bigint NOT NULL,
       input_tokens bigint NOT NULL,
       output_tokens bigint NOT NULL,
       cost numeric(30, 12) NOT NULL,
       PRIMARY KEY (agent_id, day, model)
     )`,
    `CREATE TABLE IF NOT EXISTS ${AGENTS_TABLE} (
       agent_id text PRIMARY KEY,
       name text,
       first_seen_at timestamptz NOT NULL,
       last_seen_at timestamptz NOT NULL
     )`,
  ],
};
