import { Injectable } from '@nestjs/common';

import { Transactions } from '@observe/database';

import {
  AGENT_CASES_TABLE,
  API_MUTATIONS_TABLE,
  SPEND_SPIKES_TABLE,
} from '../activity/agent-activity.schema';
import { AgentCaseOpenedData, AgentSpendSpikedData } from '../domain/ai-agent.events';
import {
  AGENTS_TABLE,
  DAILY_MODEL_USAGE_TABLE,
  DAILY_USAGE_TABLE,
} from '../telemetry/telemetry.schema';

/** One agent's counts on one UTC day, from every source. */
export interface DayRow {
  agentId: string;
  day: string;
  calls: number;
  toolCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  spend: number;
  apiMutations: number;
  apiDenials: number;
}

export interface ModelRow {
  agentId: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  spend: number;
}

export interface SpikeRow {
  agentId: string;
  eventId: string;
  flaggedAt: string;
  data: AgentSpendSpikedData;
}

export interface CaseRow {
  caseId: string;
  agentId: string;
  openedAt: string;
  eventId: string;
  data: AgentCaseOpenedData;
}

export interface AgentRow {
  agentId: string;
  name: string | null;
  lastSeenAt: string | null;
}

export interface UsageRange {
  from: string;
  to: string;
  /** One agent, or all. */
  agentId?: string;
}

/**
 * Reads the sources of the overview: telemetry rollups, API mutations (the
 * activity projection), denials (access.denials, counted per X-Agent-Id by the
 * access guard), spikes and cases. Days are UTC dates, both ends included.
 */
@Injectable()
export class AgentUsageReader {
  constructor(private readonly transactions: Transactions) {}

  async days(range: UsageRange): Promise<DayRow[]> {
    const [usage, mutations, denials] = await Promise.all([
      this.query<{
        agent_id: string;
        day: string;
        calls: string;
        tool_calls: string;
        errors: string;
        input_tokens: string;
        output_tokens: string;
        cost: string;
      }>(
        `SELECT agent_id, day::text AS day, calls, tool_calls, errors, input_tokens,
                output_tokens, cost::text AS cost
           FROM ${DAILY_USAGE_TABLE}
          WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR agent_id = $3)`,
        range,
      ),
      this.query<{ agent_id: string; day: string; count: string }>(
        `SELECT agent_id, day::text AS day, count(*) AS count
           FROM ${API_MUTATIONS_TABLE}
          WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR agent_id = $3)
          GROUP BY agent_id, day`,
        range,
      ),
      this.query<{ agent_id: string; day: string; count: string }>(
        `SELECT agent_id, (minute AT TIME ZONE 'UTC')::date::text AS day, sum(count) AS count
           FROM access.denials
          WHERE agent_id <> ''
            AND minute >= ($1::date)::timestamp AT TIME ZONE 'UTC'
            AND minute < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
            AND ($3::text IS NULL OR agent_id = $3)
          GROUP BY 1, 2`,
        range,
      ),
    ]);

    const rows = new Map<string, DayRow>();
    const row = (agentId: string, day: string): DayRow => {
      const key = `${agentId}\u0000${day}`;
      const existing = rows.get(key);
      if (existing) return existing;
      const fresh = emptyDay(agentId, day);
      rows.set(key, fresh);
      return fresh;
    };
    for (const u of usage) {
      Object.assign(row(u.agent_id, u.day), {
        calls: Number(u.calls),
        toolCalls: Number(u.tool_calls),
        errors: Number(u.errors),
        inputTokens: Number(u.input_tokens),
        outputTokens: Number(u.output_tokens),
        spend: Number(u.cost),
      });
    }
    for (const m of mutations) row(m.agent_id, m.day).apiMutations = Number(m.count);
    for (const d of denials) row(d.agent_id, d.day).apiDenials = Number(d.count);
    return [...rows.values()];
  }

  async models(range: UsageRange): Promise<ModelRow[]> {
    const rows = await this.query<{
      agent_id: string;
      model: string;
      calls: string;
      input_tokens: string;
      output_tokens: string;
      cost: string;
    }>(
      `SELECT agent_id, model, sum(calls) AS calls, sum(input_tokens) AS input_tokens,
              sum(output_tokens) AS output_tokens, sum(cost)::text AS cost
         FROM ${DAILY_MODEL_USAGE_TABLE}
        WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR agent_id = $3)
        GROUP BY agent_id, model`,
      range,
    );
    return rows.map((row) => ({
      agentId: row.agent_id,
      model: row.model,
      calls: Number(row.calls),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      spend: Number(row.cost),
    }));
  }

  async spikes(range: UsageRange): Promise<SpikeRow[]> {
    const rows = await this.query<{
      agent_id: string;
      event_id: string;
      flagged_at: Date;
      data: AgentSpendSpikedData;
    }>(
      `SELECT agent_id, event_id, flagged_at, data FROM ${SPEND_SPIKES_TABLE}
        WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR agent_id = $3)
        ORDER BY day DESC`,
      range,
    );
    return rows.map((row) => ({
      agentId: row.agent_id,
      eventId: row.event_id,
      flaggedAt: row.flagged_at.toISOString(),
      data: row.data,
    }));
  }

  async cases(agentId: string, limit: number): Promise<CaseRow[]> {
    const rows: Array<{
      case_id: string;
      agent_id: string;
      opened_at: Date;
      event_id: string;
      data: AgentCaseOpenedData;
    }> = await this.transactions.dataSource.query(
      `SELECT case_id, agent_id, opened_at, event_id, data FROM ${AGENT_CASES_TABLE}
        WHERE agent_id = $1 ORDER BY opened_at DESC, case_id DESC LIMIT $2`,
      [agentId, limit],
    );
    return rows.map((row) => ({
      caseId: row.case_id,
      agentId: row.agent_id,
      openedAt: row.opened_at.toISOString(),
      eventId: row.event_id,
      data: row.data,
    }));
  }

  async agents(agentIds: string[]): Promise<AgentRow[]> {
    const rows: Array<{ agent_id: string; name: string | null; last_seen_at: Date }> =
      await this.transactions.dataSource.query(
        `SELECT agent_id, name, last_seen_at FROM ${AGENTS_TABLE} WHERE agent_id = ANY($1)`,
        [agentIds],
      );
    return rows.map((row) => ({
      agentId: row.agent_id,
      name: row.name,
      lastSeenAt: row.last_seen_at.toISOString(),
    }));
  }

  /** Spend per agent over a range of days (the baseline of the spend watch). */
  async spendByAgent(range: UsageRange): Promise<Map<string, number>> {
    const rows = await this.query<{ agent_id: string; cost: string }>(
      `SELECT agent_id, sum(cost)::text AS cost FROM ${DAILY_USAGE_TABLE}
        WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR agent_id = $3)
        GROUP BY agent_id`,
      range,
    );
    return new Map(rows.map((row) => [row.agent_id, Number(row.cost)]));
  }

  private query<T>(sql: string, range: UsageRange): Promise<T[]> {
    return this.transactions.dataSource.query(sql, [range.from, range.to, range.agentId ?? null]);
  }
}

export function emptyDay(agentId: string, day: string): DayRow {
  return {
    agentId,
    day,
    calls: 0,
    toolCalls: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    spend: 0,
    apiMutations: 0,
    apiDenials: 0,
  };
}
