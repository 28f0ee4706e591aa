import { SqlStatement } from '@observe/database';
import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import { AgentCaseOpenedData, AgentSpendSpikedData } from '../domain/ai-agent.events';
import {
  AGENT_CASES_TABLE,
  agentActivitySchema,
  API_MUTATIONS_TABLE,
  SPEND_SPIKES_TABLE,
} from './agent-activity.schema';

/**
 * What agents did through our own API, from the metadata every event carries:
 * one row per mutation (request) per X-Agent-Id, on the UTC day it happened.
 * The platform's own workers (actor `system`) are not agents' mutations, and
 * AccessDenied events are denials, counted from access.denials instead. Also
 * keeps the spend spikes and cases of each agent.
 */
export class AgentActivityProjection implements Projection {
  readonly name = 'ai-agents.activity';
  readonly schema = agentActivitySchema;
  readonly tables = [API_MUTATIONS_TABLE, SPEND_SPIKES_TABLE, AGENT_CASES_TABLE];

  writes(events: RecordedEvent[]): SqlStatement[] {
    const statements = countedMutations(events);
    for (const event of events) {
      if (event.type === 'AgentSpendSpiked') statements.push(spike(event));
      if (event.type === 'AgentCaseOpened') statements.push(caseOpened(event));
    }
    return statements;
  }
}

/** One statement per batch: every agent request in it, with its count of events. */
function countedMutations(events: RecordedEvent[]): SqlStatement[] {
  const mutations = new Map<
    string,
    { agent_id: string; mutation_key: string; at: string; events: number }
  >();
  for (const event of events) {
    const { actor, agentId, requestId, correlationId, occurredAt } = event.metadata;
    if (!agentId || actor.kind === 'system') continue;

    // One request may write several events: it is still one mutation.
    const key = requestId ?? correlationId ?? event.eventId;
    const id = JSON.stringify([agentId, key]);
    const counted = mutations.get(id);
    if (counted) counted.events += 1;
    else mutations.set(id, { agent_id: agentId, mutation_key: key, at: occurredAt, events: 1 });
  }
  if (mutations.size === 0) return [];

  return [
    {
      sql: `SELECT ai_agents.count_mutations($1::jsonb)`,
      values: [JSON.stringify([...mutations.values()])],
    },
  ];
}

function spike(event: RecordedEvent): SqlStatement {
  const data = event.data as AgentSpendSpikedData;
  return {
    sql: `INSERT INTO ${SPEND_SPIKES_TABLE} (agent_id, day, event_id, flagged_at, data)
          VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agent_id, day) DO NOTHING`,
    values: [data.agentId, data.day, event.eventId, data.at, JSON.stringify(data)],
  };
}

function caseOpened(event: RecordedEvent): SqlStatement {
  const data = event.data as AgentCaseOpenedData;
  return {
    sql: `INSERT INTO ${AGENT_CASES_TABLE} (case_id, agent_id, opened_at, event_id, data)
          VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id) DO NOTHING`,
    values: [data.caseId, data.agentId, data.at, event.eventId, JSON.stringify(data)],
  };
}
