import { otlpExport, otlpSpan } from '../testing/otlp-factory';
import { extractGenAiSpans } from './genai-span';
import { DEFAULT_PRICES } from './price-table';

const START = new Date('2026-03-01T10:00:00Z');

function extract(resourceSpans: unknown[], max = 100) {
  return extractGenAiSpans(resourceSpans, DEFAULT_PRICES, max);
}

describe('extractGenAiSpans', () => {
  it('reads model, tokens, agent and prices the call from the table', () => {
    const body = otlpExport([
      {
        agentId: 'triage-bot',
        agentName: 'Triage bot',
        model: 'gpt-4o-2024-08-06',
        inputTokens: 1000,
        outputTokens: 200,
        start: START,
      },
    ]);

    const { spans, errors, ignored } = extract(body.resourceSpans);

    expect(errors).toEqual([]);
    expect(ignored).toBe(0);
    expect(spans).toEqual([
      expect.objectContaining({
        agentId: 'triage-bot',
        agentName: 'Triage bot',
        kind: 'model',
        operation: 'chat',
        model: 'gpt-4o-2024-08-06',
        inputTokens: 1000,
        outputTokens: 200,
        costSource: 'price_table',
        isError: false,
        day: '2026-03-01',
        durationMs: 1500,
      }),
    ]);
    expect(spans[0]?.cost).toBeCloseTo((1000 * 2.5 + 200 * 10) / 1e6, 12);
  });

  it('prefers the cost the span carries, and falls back to the request model', () => {
    const body = otlpExport([
      {
        agentId: 'a',
        requestModel: 'gpt-4o-mini',
        inputTokens: 10,
        outputTokens: 10,
        cost: 0.5,
        start: START,
      },
      { agentId: 'a', requestModel: 'gpt-4o-mini', inputTokens: 1_000_000, start: START },
      { agentId: 'a', model: 'in-house-llm', inputTokens: 99, start: START },
    ]);

    const { spans } = extract(body.resourceSpans);

    expect(spans.map((s) => [s.cost, s.costSource, s.model])).toEqual([
      [0.5, 'span', 'gpt-4o-mini'],
      [0.15, 'price_table', 'gpt-4o-mini'],
      [0, 'unpriced', 'in-house-llm'],
    ]);
  });

  it('counts tool calls and errors; tool spans carry no tokens or spend', () => {
    const body = otlpExport([
      { agentId: 'a', operation: 'execute_tool', toolName: 'search', inputTokens: 5, start: START },
      { agentId: 'a', model: 'gpt-4o', error: true, start: START },
      { agentId: 'a', model: 'gpt-4o', extra: { 'error.type': 'timeout' }, start: START },
    ]);

    const { spans } = extract(body.resourceSpans);

    expect(spans.map((s) => [s.kind, s.toolName, s.inputTokens, s.isError])).toEqual([
      ['tool', 'search', 0, false],
      ['model', null, 0, true],
      ['model', null, 0, true],
    ]);
  });

  it('takes the agent from the resource, then its name, then service.name', () => {
    const fromResource = otlpExport([{ model: 'gpt-4o', start: START }], {
      'gen_ai.agent.id': 'res-agent',
    });
    const fromName = otlpExport([{ agentName: 'Cost watchdog', model: 'gpt-4o', start: START }]);
    const fromService = otlpExport([{ model: 'gpt-4o', start: START }], {
      'service.name': 'billing agent',
    });

    const ids = [fromResource, fromName, fromService].map(
      (body) => extract(body.resourceSpans).spans[0]?.agentId,
    );

    expect(ids).toEqual(['res-agent', 'Cost-watchdog', 'billing-agent']);
  });

  it('ignores spans without gen_ai attributes and reports bad ones by path', () => {
    const plain = { ...otlpSpan({ start: START }), attributes: [] };
    const bad = {
      ...otlpSpan({ agentId: 'bad agent id', inputTokens: 3, start: START }),
      traceId: 'xyz',
    };
    const body = { resourceSpans: [{ scopeSpans: [{ spans: [plain, bad] }] }] };

    const { spans, ignored, errors } = extract(body.resourceSpans);

    expect(spans).toEqual([]);
    expect(ignored).toBe(1);
    expect(errors.map((e) => e.field)).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[1].traceId',
      'resourceSpans[0].scopeSpans[0].spans[1].attributes.gen_ai.agent.id',
    ]);
  });

  it('refuses more spans than a request may carry', () => {
    const body = otlpExport([1, 2, 3].map(() => ({ agentId: 'a', start: START })));

    expect(extract(body.resourceSpans, 2).errors[0]).toEqual({
      field: 'resourceSpans',
      message: 'holds 3 spans; send at most 2 per request',
    });
  });
});
