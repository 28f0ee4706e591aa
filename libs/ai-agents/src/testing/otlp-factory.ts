/** Builders of OTLP/JSON trace exports for tests, shaped as exporters send them. */

export type TestAttribute = string | number | boolean;

export interface TestSpan {
  agentId?: string;
  agentName?: string;
  operation?: string;
  model?: string;
  requestModel?: string;
  inputTokens?: number;
  outputTokens?: number;
  cost?: number;
  toolName?: string;
  error?: boolean;
  start: Date;
  traceId?: string;
  spanId?: string;
  extra?: Record<string, TestAttribute>;
}

let counter = 0;

export function hexId(length: 16 | 32): string {
  counter += 1;
  return counter.toString(16).padStart(length, '0');
}

export function attribute(key: string, value: TestAttribute) {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (Number.isInteger(value)) return { key, value: { intValue: String(value) } };
  return { key, value: { doubleValue: value } };
}

export function otlpSpan(span: TestSpan) {
  const attributes: Record<string, TestAttribute | undefined> = {
    'gen_ai.agent.id': span.agentId,
    'gen_ai.agent.name': span.agentName,
    'gen_ai.operation.name': span.operation ?? 'chat',
    'gen_ai.response.model': span.model,
    'gen_ai.request.model': span.requestModel,
    'gen_ai.usage.input_tokens': span.inputTokens,
    'gen_ai.usage.output_tokens': span.outputTokens,
    'gen_ai.usage.cost': span.cost,
    'gen_ai.tool.name': span.toolName,
    ...span.extra,
  };
  const startNanos = BigInt(span.start.getTime()) * 1_000_000n;
  return {
    traceId: span.traceId ?? hexId(32),
    spanId: span.spanId ?? hexId(16),
    name: `${span.operation ?? 'chat'} ${span.model ?? span.toolName ?? ''}`.trim(),
    kind: 3,
    startTimeUnixNano: startNanos.toString(),
    endTimeUnixNano: (startNanos + 1_500_000_000n).toString(),
    attributes: Object.entries(attributes).flatMap(([key, value]) =>
      value === undefined ? [] : [attribute(key, value)],
    ),
    status: span.error ? { code: 2, message: 'rate limited' } : { code: 0 },
  };
}

export function otlpExport(spans: TestSpan[], resource: Record<string, TestAttribute> = {}) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: Object.entries({ 'service.name': 'agent-runtime', ...resource }).map(
            ([key, value]) => attribute(key, value),
          ),
        },
        scopeSpans: [
          { scope: { name: 'opentelemetry.instrumentation.openai' }, spans: spans.map(otlpSpan) },
        ],
      },
    ],
  };
}
