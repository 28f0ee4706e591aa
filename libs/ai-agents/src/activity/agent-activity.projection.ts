import { EntityManager } from 'typeorm';

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

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    await this.countMutations(events, manager);
    for (const event of events) {
      if (event.type === 'AgentSpendSpiked') await this.spike(event, manager);
      if (event.type === 'AgentCaseOpened') await this.caseOpened(event, manager);
    }
  }

  /** One statement per batch: every agent request in it, with its count of events. */
  private async countMutations(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    const mutations = new Map<
      string,
      { agentId: string; key: string; at: string; events: number }
    >();
    for (const event of events) {
      const { actor, agentId, requestId, correlationId, occurredAt } = event.metadata;
      if (!agentId || actor.kind === 'system') continue;

      // One request may write several events: it is still one mutation.
      const key = requestId ?? correlationId ?? event.eventId;
      const id = JSON.stringify([agentId, key]);
      const counted = mutations.get(id);
      if (counted) counted.events += 1;
      else mutations.set(id, { agentId, key, at: occurredAt, events: 1 });
    }
    if (mutations.size === 0) return;

    const rows = [...mutations.values()];
    await manager.query(
      `INSERT INTO ${API_MUTATIONS_TABLE} (agent_id, mutation_key, day, at, events)
       SELECT agent_id, mutation_key, (at AT TIME ZONE 'UTC')::date, at, events
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[])
           AS batch (agent_id, mutation_key, at, events)
       ON CONFLICT (agent_id, mutation_key)
       DO UPDATE SET events = ${API_MUTATIONS_TABLE}.events + EXCLUDED.events`,
      [
        rows.map((row) => row.agentId),
        rows.map((row) => row.key),
        rows.map((row) => row.at),
        rows.map((row) => row.events),
      ],
    );
  }

  private async spike(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const data = event.data as AgentSpendSpikedData;
    await manager.query(
      `INSERT INTO ${SPEND_SPIKES_TABLE} (agent_id, day, event_id, flagged_at, data)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agent_id, day) DO NOTHING`,
      [data.agentId, data.day, event.eventId, data.at, JSON.stringify(data)],
    );
  }

  private async caseOpened(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const data = event.data as AgentCaseOpenedData;
    await manager.query(
      `INSERT INTO ${AGENT_CASES_TABLE} (case_id, agent_id, opened_at, event_id, data)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id) DO NOTHING`,
      [data.caseId, data.agentId, data.at, event.eventId, JSON.stringify(data)],
    );
  }
}
