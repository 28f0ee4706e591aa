import { FieldError, SAFE_ID } from '@observe/core';

import { agentIdFromName } from '../domain/agent-id';
import { AttributeValue, decodeAttributes, isRecord } from './otlp-json';
import { costOf, priceOf, PriceTable } from './price-table';

/** A model call counts tokens and spend; tool and agent spans count as such, no tokens. */
export type SpanKind = 'model' | 'tool' | 'agent';

export type CostSource = 'span' | 'price_table' | 'unpriced';

/** One GenAI span, reduced to what the overview aggregates. */
export interface GenAiSpan {
  traceId: string;
  spanId: string;
  name: string | null;
  agentId: string;
  agentName: string | null;
  operation: string | null;
  kind: SpanKind;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  /** USD; zero for tool and agent spans. */
  cost: number;
  costSource: CostSource;
  toolName: string | null;
  isError: boolean;
  startedAt: Date;
  durationMs: number | null;
  /** The UTC day the span started (YYYY-MM-DD). */
  day: string;
}

export interface SpanExtraction {
  spans: GenAiSpan[];
  /** Spans without any gen_ai.* attribute: not ours to count. */
  ignored: number;
  errors: FieldError[];
}

/** Attributes of the OpenTelemetry GenAI semantic conventions, and older names still sent. */
const ATTR = {
  operation: 'gen_ai.operation.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'],
  outputTokens: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'],
  cost: 'gen_ai.usage.cost',
  agentId: 'gen_ai.agent.id',
  agentName: 'gen_ai.agent.name',
  toolName: 'gen_ai.tool.name',
  errorType: 'error.type',
  serviceName: 'service.name',
} as const;

const AGENT_OPERATIONS = new Set(['invoke_agent', 'create_agent']);
const STATUS_ERROR = new Set<unknown>([2, '2', 'STATUS_CODE_ERROR']);
const TRACE_ID = /^[0-9a-f]{32}$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;

/**
 * Reads an OTLP/JSON trace export into GenAI spans. Every problem is reported
 * with its path; the caller writes nothing when there is any. Costs come from
 * the span's `gen_ai.usage.cost` when given, else from the price table.
 */
export function extractGenAiSpans(
  resourceSpans: unknown[],
  prices: PriceTable,
  maxSpans: number,
): SpanExtraction {
  const result: SpanExtraction = { spans: [], ignored: 0, errors: [] };
  let seen = 0;

  resourceSpans.forEach((resourceSpan, r) => {
    const at = `resourceSpans[${r}]`;
    if (!isRecord(resourceSpan)) {
      result.errors.push({ field: at, message: 'must be an object' });
      return;
    }
    const resource = decodeAttributes(
      isRecord(resourceSpan.resource) ? resourceSpan.resource.attributes : undefined,
    );

    listAt(resourceSpan.scopeSpans, `${at}.scopeSpans`, result.errors).forEach((scopeSpan, s) => {
      const scopeAt = `${at}.scopeSpans[${s}]`;
      if (!isRecord(scopeSpan)) {
        result.errors.push({ field: scopeAt, message: 'must be an object' });
        return;
      }
      listAt(scopeSpan.spans, `${scopeAt}.spans`, result.errors).forEach((span, i) => {
        seen += 1;
        // Past the limit, spans are only counted, for the error message.
        if (seen <= maxSpans) readSpan(span, resource, prices, `${scopeAt}.spans[${i}]`, result);
      });
    });
  });

  if (seen > maxSpans) {
    result.errors.unshift({
      field: 'resourceSpans',
      message: `holds ${seen} spans; send at most ${maxSpans} per request`,
    });
  }
  return result;
}

function readSpan(
  span: unknown,
  resource: Map<string, AttributeValue>,
  prices: PriceTable,
  at: string,
  result: SpanExtraction,
): void {
  if (!isRecord(span)) {
    result.errors.push({ field: at, message: 'must be an object' });
    return;
  }
  const attributes = decodeAttributes(span.attributes);
  if (![...attributes.keys()].some((key) => key.startsWith('gen_ai.'))) {
    result.ignored += 1;
    return;
  }

  const errors: FieldError[] = [];
  const fail = (field: string, message: string): void => {
    errors.push({ field: `${at}.${field}`, message });
  };
  const traceId = typeof span.traceId === 'string' ? span.traceId.toLowerCase() : '';
  const spanId = typeof span.spanId === 'string' ? span.spanId.toLowerCase() : '';
  if (!TRACE_ID.test(traceId)) fail('traceId', 'must be 32 hex characters');
  if (!SPAN_ID.test(spanId)) fail('spanId', 'must be 16 hex characters');
  const startMs = nanosToMs(span.startTimeUnixNano);
  if (startMs === undefined) fail('startTimeUnixNano', 'must be nanoseconds since the epoch');
  const endMs = nanosToMs(span.endTimeUnixNano);

  const agent = agentOf(attributes, resource);
  if ('error' in agent) fail(agent.field, agent.error);
  const inputTokens = tokens(attributes, ATTR.inputTokens, fail);
  const outputTokens = tokens(attributes, ATTR.outputTokens, fail);
  const spanCost = attributes.get(ATTR.cost);
  if (spanCost !== undefined && !(typeof spanCost === 'number' && spanCost >= 0)) {
    fail(`attributes.${ATTR.cost}`, 'must be a non-negative number (USD)');
  }

  result.errors.push(...errors);
  if (errors.length > 0 || startMs === undefined || 'error' in agent) return;

  const operation = text(attributes.get(ATTR.operation));
  const kind = kindOf(operation);
  const model = text(attributes.get(ATTR.responseModel)) ?? text(attributes.get(ATTR.requestModel));
  const priced = pricing(kind, model, inputTokens, outputTokens, spanCost, prices);
  const status = isRecord(span.status) ? span.status.code : undefined;

  result.spans.push({
    traceId,
    spanId,
    name: text(typeof span.name === 'string' ? span.name.slice(0, 500) : undefined),
    agentId: agent.id,
    agentName: agent.name,
    operation,
    kind,
    model,
    inputTokens: kind === 'model' ? inputTokens : 0,
    outputTokens: kind === 'model' ? outputTokens : 0,
    ...priced,
    toolName: text(attributes.get(ATTR.toolName)),
    isError: STATUS_ERROR.has(status) || attributes.has(ATTR.errorType),
    startedAt: new Date(startMs),
    durationMs: endMs === undefined ? null : Math.max(0, endMs - startMs),
    day: new Date(startMs).toISOString().slice(0, 10),
  });
}

/** `execute_tool` is a tool call; agent spans wrap calls; anything else is a model call. */
function kindOf(operation: string | null): SpanKind {
  if (operation === 'execute_tool') return 'tool';
  if (operation !== null && AGENT_OPERATIONS.has(operation)) return 'agent';
  return 'model';
}

function pricing(
  kind: SpanKind,
  model: string | null,
  inputTokens: number,
  outputTokens: number,
  spanCost: AttributeValue | undefined,
  prices: PriceTable,
): { cost: number; costSource: CostSource } {
  if (kind !== 'model') return { cost: 0, costSource: 'unpriced' };
  if (typeof spanCost === 'number') return { cost: spanCost, costSource: 'span' };

  const price = priceOf(prices, model);
  if (!price) return { cost: 0, costSource: 'unpriced' };
  return { cost: costOf(price, inputTokens, outputTokens), costSource: 'price_table' };
}

type AgentIdentity = { id: string; name: string | null } | { error: string; field: string };

/**
 * `gen_ai.agent.id` on the span, then on the resource; failing that, an id
 * made from `gen_ai.agent.name` or the resource's `service.name`.
 */
function agentOf(
  attributes: Map<string, AttributeValue>,
  resource: Map<string, AttributeValue>,
): AgentIdentity {
  const name = text(attributes.get(ATTR.agentName)) ?? text(resource.get(ATTR.agentName));
  const explicit = text(attributes.get(ATTR.agentId)) ?? text(resource.get(ATTR.agentId));
  if (explicit !== null) {
    if (SAFE_ID.test(explicit)) return { id: explicit, name };
    return {
      field: `attributes.${ATTR.agentId}`,
      error: 'must be at most 128 of [A-Za-z0-9._:-] (the X-Agent-Id charset)',
    };
  }

  const fallback = name ?? text(resource.get(ATTR.serviceName));
  const id = fallback === null ? undefined : agentIdFromName(fallback);
  if (id) return { id, name };
  return {
    field: `attributes.${ATTR.agentId}`,
    error: 'is required (or gen_ai.agent.name, or the resource service.name)',
  };
}

function tokens(
  attributes: Map<string, AttributeValue>,
  names: readonly string[],
  fail: (field: string, message: string) => void,
): number {
  for (const name of names) {
    const value = attributes.get(name);
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    fail(`attributes.${name}`, 'must be a non-negative whole number');
    return 0;
  }
  return 0;
}

function nanosToMs(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  if (!/^\d{1,21}$/.test(text)) return undefined;
  const ms = Number(BigInt(text) / 1_000_000n);
  return ms > 0 && ms < 8.64e15 ? ms : undefined;
}

/** Trimmed text, without NUL characters (PostgreSQL text cannot hold them); null when empty. */
function text(value: AttributeValue | undefined): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value.replace(/\u0000/g, '').trim();
  return cleaned === '' ? null : cleaned;
}

function listAt(value: unknown, field: string, errors: FieldError[]): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  errors.push({ field, message: 'must be an array' });
  return [];
}
