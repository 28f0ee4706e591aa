import { Inject, Injectable } from '@nestjs/common';

import { Clock, NotFoundError, ValidationError } from '@observe/core';

import { AI_AGENT_SETTINGS, AiAgentSettings } from '../ai-agents.settings';
import {
  AgentRow,
  AgentUsageReader,
  DayRow,
  emptyDay,
  ModelRow,
  SpikeRow,
} from './agent-usage.reader';
import { judgeSpend, round, SpendJudgement } from './spend-judgement';
import { addDays, daysBetween, utcDay } from './utc-day';

export type UsageTotals = {
  /** Model calls (spans that are not tool or agent spans). */
  calls: number;
  toolCalls: number;
  /** Model and tool calls with status ERROR or error.type. */
  errors: number;
  /** errors / (calls + toolCalls); 0 without calls. */
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** USD. */
  spend: number;
  /** Requests to this API that wrote events, sent with this X-Agent-Id. */
  apiMutations: number;
  /** Requests to this API refused (401, 403, 429) with this X-Agent-Id. */
  apiDenials: number;
};

export type ModelUsage = {
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  spend: number;
};

/**
 * The spike judgement: the one recorded with AgentSpendSpiked when today's
 * spike was flagged, else today's judgement as of now.
 */
export type SpikeView = SpendJudgement & {
  flagged: boolean;
  flaggedAt: string | null;
  eventId: string | null;
};

export type AgentOverview = {
  agentId: string;
  name: string | null;
  lastSeenAt: string | null;
  today: UsageTotals;
  last7Days: UsageTotals;
  /** The most expensive models of the last 7 days, at most 5. */
  topModels: ModelUsage[];
  spike: SpikeView;
  urls: { self: string; cases: string };
};

export type DailyUsage = UsageTotals & { day: string };

export type AgentDetail = AgentOverview & {
  daily: DailyUsage[];
  spikes: Array<SpendJudgement & { day: string; flaggedAt: string; eventId: string }>;
  cases: Array<{
    caseId: string;
    title: string;
    severity: string;
    openedAt: string;
    eventId: string;
    url: string;
  }>;
};

export interface OverviewPage {
  day: string;
  currency: 'USD';
  data: AgentOverview[];
  nextCursor: string | null;
}

const WEEK = 7;
const TOP_MODELS = 5;

/** Per-agent usage, spend and API activity, judged against the spike thresholds. */
@Injectable()
export class AgentOverviews {
  constructor(
    private readonly reader: AgentUsageReader,
    private readonly clock: Clock,
    @Inject(AI_AGENT_SETTINGS) private readonly settings: AiAgentSettings,
  ) {}

  async list(query: { limit: number; cursor?: string }): Promise<OverviewPage> {
    const today = utcDay(this.clock.now());
    const overviews = await this.build(today);
    overviews.sort(
      (a, b) => b.last7Days.spend - a.last7Days.spend || a.agentId.localeCompare(b.agentId),
    );

    const offset = decodeOffset(query.cursor);
    const page = overviews.slice(offset, offset + query.limit);
    const more = offset + query.limit < overviews.length;
    return {
      day: today,
      currency: 'USD',
      data: page,
      nextCursor: more ? encodeOffset(offset + query.limit) : null,
    };
  }

  async get(agentId: string, days: number): Promise<AgentDetail> {
    const today = utcDay(this.clock.now());
    const from = addDays(today, -(days - 1));
    const [[overview], rows, cases, known] = await Promise.all([
      this.build(today, agentId),
      this.reader.days({ from, to: today, agentId }),
      this.reader.cases(agentId, 50),
      this.reader.agents([agentId]),
    ]);
    if (!overview && rows.length === 0 && cases.length === 0 && known.length === 0) {
      throw new NotFoundError('AI agent', agentId);
    }

    const byDay = new Map(rows.map((row) => [row.day, row]));
    const spikes = await this.reader.spikes({ from, to: today, agentId });
    return {
      ...(overview ?? this.emptyOverview(agentId, known[0])),
      daily: daysBetween(from, today).map((day) => ({
        day,
        ...totals([byDay.get(day) ?? emptyDay(agentId, day)]),
      })),
      spikes: spikes.map((spike) => ({
        ...judgementOf(spike),
        day: spike.data.day,
        flaggedAt: spike.flaggedAt,
        eventId: spike.eventId,
      })),
      cases: cases.map((row) => ({
        caseId: row.caseId,
        title: row.data.title,
        severity: row.data.severity,
        openedAt: row.openedAt,
        eventId: row.eventId,
        url: `/api/v1/incidents/${row.caseId}`,
      })),
    };
  }

  /** Agents with any activity in the last 7 days (or `agentId` alone). */
  private async build(today: string, agentId?: string): Promise<AgentOverview[]> {
    const weekStart = addDays(today, -(WEEK - 1));
    const baselineStart = addDays(today, -this.settings.spikeBaselineDays);
    const from = baselineStart < weekStart ? baselineStart : weekStart;
    const [rows, models, spikes] = await Promise.all([
      this.reader.days({ from, to: today, agentId }),
      this.reader.models({ from: weekStart, to: today, agentId }),
      this.reader.spikes({ from: today, to: today, agentId }),
    ]);

    const week = rows.filter((row) => row.day >= weekStart);
    const agentIds = [
      ...new Set([...week.map((row) => row.agentId), ...spikes.map((spike) => spike.agentId)]),
    ];
    const agents = new Map((await this.reader.agents(agentIds)).map((a) => [a.agentId, a]));

    return agentIds.map((id) => {
      const own = rows.filter((row) => row.agentId === id);
      const todayTotals = totals(own.filter((row) => row.day === today));
      const baseline = own
        .filter((row) => row.day >= baselineStart && row.day < today)
        .reduce((sum, row) => sum + row.spend, 0);
      const agent = agents.get(id);
      return {
        agentId: id,
        name: agent?.name ?? null,
        lastSeenAt: agent?.lastSeenAt ?? null,
        today: todayTotals,
        last7Days: totals(own.filter((row) => row.day >= weekStart)),
        topModels: topModels(models.filter((model) => model.agentId === id)),
        spike: this.spike(
          todayTotals.spend,
          baseline,
          spikes.find((spike) => spike.agentId === id),
        ),
        urls: { self: `/api/v1/ai-agents/${id}`, cases: `/api/v1/ai-agents/${id}/cases` },
      };
    });
  }

  private spike(spendToday: number, baseline: number, flagged?: SpikeRow): SpikeView {
    if (flagged) {
      return {
        ...judgementOf(flagged),
        flagged: true,
        flaggedAt: flagged.flaggedAt,
        eventId: flagged.eventId,
      };
    }
    const judgement = judgeSpend(spendToday, baseline, {
      factor: this.settings.spikeFactor,
      minimumSpend: this.settings.spikeMinimumSpend,
      baselineDays: this.settings.spikeBaselineDays,
    });
    return { ...judgement, flagged: false, flaggedAt: null, eventId: null };
  }

  /** An agent known from before the last 7 days: nothing to count this week. */
  private emptyOverview(agentId: string, agent?: AgentRow): AgentOverview {
    const none = totals([]);
    return {
      agentId,
      name: agent?.name ?? null,
      lastSeenAt: agent?.lastSeenAt ?? null,
      today: none,
      last7Days: none,
      topModels: [],
      spike: this.spike(0, 0),
      urls: { self: `/api/v1/ai-agents/${agentId}`, cases: `/api/v1/ai-agents/${agentId}/cases` },
    };
  }
}

function totals(rows: DayRow[]): UsageTotals {
  const sum = (read: (row: DayRow) => number): number =>
    rows.reduce((total, row) => total + read(row), 0);
  const calls = sum((row) => row.calls);
  const toolCalls = sum((row) => row.toolCalls);
  const errors = sum((row) => row.errors);
  const inputTokens = sum((row) => row.inputTokens);
  const outputTokens = sum((row) => row.outputTokens);
  return {
    calls,
    toolCalls,
    errors,
    errorRate: calls + toolCalls === 0 ? 0 : round(errors / (calls + toolCalls)),
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    spend: round(sum((row) => row.spend)),
    apiMutations: sum((row) => row.apiMutations),
    apiDenials: sum((row) => row.apiDenials),
  };
}

function topModels(models: ModelRow[]): ModelUsage[] {
  return [...models]
    .sort((a, b) => b.spend - a.spend || b.calls - a.calls || a.model.localeCompare(b.model))
    .slice(0, TOP_MODELS)
    .map(({ model, calls, inputTokens, outputTokens, spend }) => ({
      model,
      calls,
      inputTokens,
      outputTokens,
      spend: round(spend),
    }));
}

function judgementOf(spike: SpikeRow): SpendJudgement {
  const { spendToday, baseline, factor, minimumSpend, threshold } = spike.data;
  return { spiking: true, spendToday, baseline, factor, minimumSpend, threshold };
}

function encodeOffset(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) {
    throw new ValidationError('cursor is not one this API gave out', [
      { field: 'cursor', message: 'invalid; pass nextCursor from the previous page as it is' },
    ]);
  }
  return Number(match[1]);
}
