import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Clock, ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';

import { AI_AGENT_SETTINGS, AiAgentSettings } from '../ai-agents.settings';
import { extractGenAiSpans, GenAiSpan } from './genai-span';
import {
  AGENTS_TABLE,
  DAILY_MODEL_USAGE_TABLE,
  DAILY_USAGE_TABLE,
  SPANS_TABLE,
} from './telemetry.schema';

export interface TelemetryReceipt {
  /** GenAI spans stored now. */
  accepted: number;
  /** GenAI spans already stored (an exporter's retry): counted once. */
  duplicates: number;
  /** Spans without gen_ai.* attributes. */
  ignored: number;
  agents: string[];
}

interface Usage {
  calls: number;
  toolCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

/**
 * Stores the GenAI spans of an OTLP/JSON export and adds the new ones to the
 * daily rollups, in the request's transaction: a span counts once or not at all.
 */
@Injectable()
export class TelemetryIngestion {
  private readonly logger = new Logger(TelemetryIngestion.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(AI_AGENT_SETTINGS) private readonly settings: AiAgentSettings,
  ) {}

  async ingest(resourceSpans: unknown[]): Promise<TelemetryReceipt> {
    const extraction = extractGenAiSpans(
      resourceSpans,
      this.settings.prices,
      this.settings.maxSpansPerRequest,
    );
    if (extraction.errors.length > 0) {
      const first = extraction.errors[0] ?? { field: 'resourceSpans', message: 'invalid' };
      throw new ValidationError(
        `invalid span: ${first.field} ${first.message}; nothing was stored`,
        extraction.errors.slice(0, 50),
      );
    }

    const unique = uniqueSpans(extraction.spans);
    const manager = this.transactions.current();
    const stored = await this.store(manager, unique);
    await this.rollUp(manager, stored);
    await this.rememberAgents(manager, stored);

    const agents = [...new Set(unique.map((span) => span.agentId))].sort();
    this.logger.debug({ msg: 'GenAI spans stored', accepted: stored.length, agents });
    return {
      accepted: stored.length,
      duplicates: extraction.spans.length - stored.length,
      ignored: extraction.ignored,
      agents,
    };
  }

  /** Inserts the spans; answers those that were new. */
  private async store(manager: EntityManager, spans: GenAiSpan[]): Promise<GenAiSpan[]> {
    if (spans.length === 0) return [];

    const column = <T>(read: (span: GenAiSpan) => T): T[] => spans.map(read);
    const rows: Array<{ trace_id: string; span_id: string }> = await manager.query(
      `INSERT INTO ${SPANS_TABLE}
         (trace_id, span_id, name, agent_id, agent_name, operation, kind, model, input_tokens,
          output_tokens, cost, cost_source, tool_name, is_error, started_at, duration_ms, day,
          received_at)
       SELECT *, $18::timestamptz FROM unnest(
         $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::bigint[], $10::bigint[], $11::numeric[], $12::text[], $13::text[],
         $14::boolean[], $15::timestamptz[], $16::double precision[], $17::date[])
       ON CONFLICT (trace_id, span_id) DO NOTHING
       RETURNING trace_id, span_id`,
      [
        column((s) => s.traceId),
        column((s) => s.spanId),
        column((s) => s.name),
        column((s) => s.agentId),
        column((s) => s.agentName),
        column((s) => s.operation),
        column((s) => s.kind),
        column((s) => s.model),
        column((s) => s.inputTokens),
        column((s) => s.outputTokens),
        column((s) => s.cost.toFixed(12)),
        column((s) => s.costSource),
        column((s) => s.toolName),
        column((s) => s.isError),
        column((s) => s.startedAt),
        column((s) => s.durationMs),
        column((s) => s.day),
        this.clock.now(),
      ],
    );
    const inserted = new Set(rows.map((row) => `${row.trace_id}/${row.span_id}`));
    return spans.filter((span) => inserted.has(`${span.traceId}/${span.spanId}`));
  }

  /** Rows are updated in key order, so concurrent exports cannot deadlock on them. */
  private async rollUp(manager: EntityManager, spans: GenAiSpan[]): Promise<void> {
    const daily = new Map<string, Usage>();
    const byModel = new Map<string, Usage>();
    for (const span of spans) {
      add(daily, `${span.agentId}\u0000${span.day}`, span);
      if (span.kind === 'model') {
        add(byModel, `${span.agentId}\u0000${span.day}\u0000${span.model ?? '(unknown)'}`, span);
      }
    }

    for (const [key, usage] of [...daily].sort(([a], [b]) => a.localeCompare(b))) {
      const [agentId, day] = key.split('\u0000');
      await manager.query(
        `INSERT INTO ${DAILY_USAGE_TABLE}
           (agent_id, day, calls, tool_calls, errors, input_tokens, output_tokens, cost)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (agent_id, day) DO UPDATE SET
           calls = ${DAILY_USAGE_TABLE}.calls + EXCLUDED.calls,
           tool_calls = ${DAILY_USAGE_TABLE}.tool_calls + EXCLUDED.tool_calls,
           errors = ${DAILY_USAGE_TABLE}.errors + EXCLUDED.errors,
           input_tokens = ${DAILY_USAGE_TABLE}.input_tokens + EXCLUDED.input_tokens,
           output_tokens = ${DAILY_USAGE_TABLE}.output_tokens + EXCLUDED.output_tokens,
           cost = ${DAILY_USAGE_TABLE}.cost + EXCLUDED.cost`,
        [agentId, day, ...usageValues(usage)],
      );
    }
    for (const [key, usage] of [...byModel].sort(([a], [b]) => a.localeCompare(b))) {
      const [agentId, day, model] = key.split('\u0000');
      await manager.query(
        `INSERT INTO ${DAILY_MODEL_USAGE_TABLE}
           (agent_id, day, model, calls, input_tokens, output_tokens, cost)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (agent_id, day, model) DO UPDATE SET
           calls = ${DAILY_MODEL_USAGE_TABLE}.calls + EXCLUDED.calls,
           input_tokens = ${DAILY_MODEL_USAGE_TABLE}.input_tokens + EXCLUDED.input_tokens,
           output_tokens = ${DAILY_MODEL_USAGE_TABLE}.output_tokens + EXCLUDED.output_tokens,
           cost = ${DAILY_MODEL_USAGE_TABLE}.cost + EXCLUDED.cost`,
        [
          agentId,
          day,
          model,
          usage.calls,
          usage.inputTokens,
          usage.outputTokens,
          usage.cost.toFixed(12),
        ],
      );
    }
  }

  private async rememberAgents(manager: EntityManager, spans: GenAiSpan[]): Promise<void> {
    const agents = new Map<string, { name: string | null; first: Date; last: Date }>();
    for (const span of spans) {
      const known = agents.get(span.agentId);
      agents.set(span.agentId, {
        name: span.agentName ?? known?.name ?? null,
        first: known && known.first < span.startedAt ? known.first : span.startedAt,
        last: known && known.last > span.startedAt ? known.last : span.startedAt,
      });
    }

    for (const [agentId, agent] of [...agents].sort(([a], [b]) => a.localeCompare(b))) {
      await manager.query(
        `INSERT INTO ${AGENTS_TABLE} (agent_id, name, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (agent_id) DO UPDATE SET
           name = COALESCE(EXCLUDED.name, ${AGENTS_TABLE}.name),
           first_seen_at = LEAST(${AGENTS_TABLE}.first_seen_at, EXCLUDED.first_seen_at),
           last_seen_at = GREATEST(${AGENTS_TABLE}.last_seen_at, EXCLUDED.last_seen_at)`,
        [agentId, agent.name, agent.first, agent.last],
      );
    }
  }
}

/** One export may repeat a span; the first copy counts. */
function uniqueSpans(spans: GenAiSpan[]): GenAiSpan[] {
  const seen = new Set<string>();
  return spans.filter((span) => {
    const key = `${span.traceId}/${span.spanId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function add(into: Map<string, Usage>, key: string, span: GenAiSpan): void {
  const usage = into.get(key) ?? {
    calls: 0,
    toolCalls: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cost: 0,
  };
  if (span.kind === 'model') usage.calls += 1;
  if (span.kind === 'tool') usage.toolCalls += 1;
  if (span.isError && span.kind !== 'agent') usage.errors += 1;
  usage.inputTokens += span.inputTokens;
  usage.outputTokens += span.outputTokens;
  usage.cost += span.cost;
  into.set(key, usage);
}

function usageValues(usage: Usage): unknown[] {
  return [
    usage.calls,
    usage.toolCalls,
    usage.errors,
    usage.inputTokens,
    usage.outputTokens,
    usage.cost.toFixed(12),
  ];
}
