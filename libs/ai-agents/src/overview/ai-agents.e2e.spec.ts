import { randomUUID } from 'node:crypto';

import { ManualClock } from '@observe/core';

import { eventually } from '../../../detections/src/testing/eventually';
import { startTestApp, TestApp } from '../../../../test/support/test-app';
import { hexId, otlpExport, TestSpan } from '../testing/otlp-factory';
import { SpendWatch } from '../spend-spikes/spend-watch';
import {
  eventually as eventuallyTrue,
  startWebhookReceiver,
} from '../../../subscriptions/src/testing/webhook-receiver';

const NOW = '2026-03-04T15:00:00Z';
const DAY_MS = 86_400_000;
/** USD per million tokens, written out here so the sums are computed independently. */
const PRICES: Record<string, { input: number; output: number }> = {
  'gpt-4o-2024-08-06': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'house-model': { input: 1, output: 3 },
};

interface Expected {
  calls: number;
  toolCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  spend: number;
  models: Map<string, number>;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('AI-agent telemetry, overview, spend spikes and cases (e2e)', () => {
  let platform: TestApp;
  let writer: string;
  const clock = new ManualClock(NOW);
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    platform = await startTestApp({
      label: 'ai_agents',
      clock,
      environment: {
        AI_AGENT_PRICES: JSON.stringify({ 'house-model': PRICES['house-model'] }),
        AI_AGENT_SPIKE_FACTOR: '3',
        AI_AGENT_SPIKE_MIN_USD: '5',
        // The test runs the spend watch itself.
        AI_AGENT_SPIKE_CHECK_MS: '3600000',
      },
    });
    writer = (await platform.mintToken(['ai-agents:write'])).token;
  });

  afterAll(async () => {
    await platform.close();
  });

  const send = (body: object) =>
    platform
      .http()
      .post('/api/v1/ai-agents/telemetry')
      .set(auth(writer))
      .set('Idempotency-Key', randomUUID())
      .send(body);

  it('gives overview numbers equal to the sums of the spans sent', async () => {
    const next = random(42);
    const agents = ['planner', 'coder', 'reviewer'];
    const models = Object.keys(PRICES);
    const spans: TestSpan[] = Array.from({ length: 240 }, () => {
      const daysAgo = Math.floor(next() * 9);
      const start = new Date(Date.parse(NOW) - daysAgo * DAY_MS - Math.floor(next() * 3_600_000));
      const agentId = agents[Math.floor(next() * agents.length)] ?? 'planner';
      const ids = { traceId: hexId(32), spanId: hexId(16) };
      if (next() < 0.25) {
        return {
          ...ids,
          agentId,
          operation: 'execute_tool',
          toolName: 'search',
          error: next() < 0.2,
          start,
        };
      }
      return {
        ...ids,
        agentId,
        model: models[Math.floor(next() * models.length)],
        inputTokens: Math.floor(next() * 5_000),
        outputTokens: Math.floor(next() * 2_000),
        ...(next() < 0.2 ? { cost: Math.round(next() * 1e6) / 1e6 } : {}),
        error: next() < 0.1,
        start,
      };
    });
    const today = NOW.slice(0, 10);
    const weekStart = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * DAY_MS);
    const expected = (agentId: string, from: Date): Expected => {
      const own = spans.filter((s) => s.agentId === agentId && s.start >= from);
      const result: Expected = {
        calls: 0,
        toolCalls: 0,
        errors: 0,
        inputTokens: 0,
        outputTokens: 0,
        spend: 0,
        models: new Map(),
      };
      for (const span of own) {
        if (span.error) result.errors += 1;
        if (span.operation === 'execute_tool') {
          result.toolCalls += 1;
          continue;
        }
        const price = PRICES[span.model ?? ''] ?? { input: 0, output: 0 };
        const input = span.inputTokens ?? 0;
        const output = span.outputTokens ?? 0;
        const cost = span.cost ?? (input * price.input + output * price.output) / 1e6;
        result.calls += 1;
        result.inputTokens += input;
        result.outputTokens += output;
        result.spend += cost;
        result.models.set(span.model ?? '', (result.models.get(span.model ?? '') ?? 0) + cost);
      }
      return result;
    };

    const first = await send(otlpExport(spans.slice(0, 150)));
    const second = await send(otlpExport(spans.slice(150), { 'deployment.environment': 'prod' }));
    const retried = await send(otlpExport(spans.slice(100, 150)));
    const reader = await platform.mintToken(['ai-agents:read']);
    const overview = await platform
      .http()
      .get('/api/v1/ai-agents/overview')
      .set(auth(reader.token));

    expect([first.status, second.status, retried.status]).toEqual([200, 200, 200]);
    expect(first.body).toMatchObject({ accepted: 150, duplicates: 0, ignored: 0, events: [] });
    expect(retried.body).toMatchObject({ accepted: 0, duplicates: 50 });
    expect(overview.status).toBe(200);
    expect(overview.body.day).toBe(today);
    for (const agentId of agents) {
      const entry = overview.body.data.find((a: { agentId: string }) => a.agentId === agentId);
      for (const [period, from] of [
        ['today', new Date(`${today}T00:00:00Z`)],
        ['last7Days', weekStart],
      ] as const) {
        const want = expected(agentId, from);
        const got = entry[period];
        expect([got.calls, got.toolCalls, got.errors, got.inputTokens, got.outputTokens]).toEqual([
          want.calls,
          want.toolCalls,
          want.errors,
          want.inputTokens,
          want.outputTokens,
        ]);
        expect(got.totalTokens).toBe(want.inputTokens + want.outputTokens);
        expect(got.spend).toBeCloseTo(want.spend, 6);
        expect(got.errorRate).toBeCloseTo(
          want.errors / Math.max(1, want.calls + want.toolCalls),
          6,
        );
      }
      const week = expected(agentId, weekStart);
      const top = [...week.models].sort((a, b) => b[1] - a[1]);
      expect(entry.topModels.map((m: { model: string }) => m.model)).toEqual(
        top.map(([model]) => model),
      );
      expect(entry.topModels[0].spend).toBeCloseTo(top[0]?.[1] ?? 0, 6);
    }
  });

  it("counts each agent's API mutations and denials by X-Agent-Id", async () => {
    const lacking = await platform.mintToken(['siem:read']);
    const agentId = 'planner';
    for (let n = 0; n < 2; n += 1) {
      const published = await platform
        .http()
        .post('/api/v1/siem/rules')
        .set(auth(platform.fullToken))
        .set('X-Agent-Id', agentId)
        .send({
          source: [
            `title: Rule ${n}`,
            'logsource: { product: linux }',
            `detection: { a: { x: ${n} }, condition: a }`,
          ].join('\n'),
        });
      expect(published.status).toBe(201);
    }
    for (let n = 0; n < 3; n += 1) {
      const denied = await platform
        .http()
        .get('/api/v1/ai-agents/overview')
        .set(auth(lacking.token))
        .set('X-Agent-Id', agentId);
      expect(denied.status).toBe(403);
    }
    const reader = await platform.mintToken(['ai-agents:read']);

    const entry = await eventually(async () => {
      const response = await platform
        .http()
        .get(`/api/v1/ai-agents/${agentId}`)
        .set(auth(reader.token));
      return response.body.today?.apiDenials === 3 ? response.body : undefined;
    });

    expect(entry.today).toMatchObject({ apiMutations: 2, apiDenials: 3 });
    expect(entry.last7Days).toMatchObject({ apiMutations: 2, apiDenials: 3 });
    expect(entry.daily).toHaveLength(14);
    expect(entry.daily[13]).toMatchObject({
      day: NOW.slice(0, 10),
      apiMutations: 2,
      apiDenials: 3,
    });
  });

  it('flags a spend spike once against the trailing baseline, and pushes it to subscribers', async () => {
    const receiver = await startWebhookReceiver();
    const subscribed = await platform
      .http()
      .post('/api/v1/subscriptions')
      .set(auth(platform.fullToken))
      .send({ url: receiver.url, eventTypes: ['ai-agent.spend_spiked'] });
    expect(subscribed.status).toBe(201);
    const daily = (agentId: string, daysAgo: number, cost: number): TestSpan => ({
      agentId,
      model: 'gpt-4o-mini',
      inputTokens: 100,
      outputTokens: 10,
      cost,
      start: new Date(Date.parse(NOW) - daysAgo * DAY_MS - 60_000),
    });
    await send(
      otlpExport([
        ...[1, 2, 3, 4, 5, 6, 7].map((daysAgo) => daily('spender', daysAgo, 1)),
        daily('spender', 0, 12),
        daily('spender', 0, 9),
        daily('steady', 1, 3),
        daily('steady', 0, 4.5),
      ]),
    );
    const watch = platform.app.get(SpendWatch);

    const once = await watch.check();
    const twice = await watch.check();
    await eventuallyTrue(
      () => receiver.delivered('ai-agent.spend_spiked').size === 1,
      'the spike webhook',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pushed = receiver.requests.filter(
      (webhook) => webhook.event.type === 'ai-agent.spend_spiked',
    );
    await receiver.close();
    const auditor = await platform.mintToken(['audit:read', 'ai-agents:read']);
    const trail = await platform
      .http()
      .get('/api/v1/audit')
      .query({ type: 'AgentSpendSpiked' })
      .set(auth(auditor.token));
    const overview = await platform
      .http()
      .get('/api/v1/ai-agents/overview')
      .set(auth(auditor.token));

    expect(once.flagged).toEqual(['spender']);
    expect(pushed).toHaveLength(1);
    expect(pushed[0].event.data).toMatchObject({ agentId: 'spender' });
    expect(twice).toMatchObject({ spiking: ['spender'], flagged: [] });
    expect(trail.body.data).toHaveLength(1);
    expect(trail.body.data[0]).toMatchObject({
      stream: 'ai-agent-spender',
      actor: { kind: 'system', name: 'spend-watch' },
      data: {
        agentId: 'spender',
        day: NOW.slice(0, 10),
        spendToday: 21,
        baseline: { days: 7, total: 7, dailyMean: 1 },
        threshold: 5,
        factor: 3,
        minimumSpend: 5,
        currency: 'USD',
      },
    });
    const spender = overview.body.data.find((a: { agentId: string }) => a.agentId === 'spender');
    const steady = overview.body.data.find((a: { agentId: string }) => a.agentId === 'steady');
    expect(spender.spike).toMatchObject({
      flagged: true,
      spiking: true,
      eventId: trail.body.data[0].eventId,
      baseline: { dailyMean: 1 },
    });
    expect(steady.spike).toMatchObject({ flagged: false, spiking: false, threshold: 5 });
  });

  it('runs the watchdog flow with only ai-agents:read and ai-agents:write', async () => {
    const watchdog = await platform.mintToken(
      ['ai-agents:read', 'ai-agents:write'],
      10,
      'watchdog',
    );

    const overview = await platform
      .http()
      .get('/api/v1/ai-agents/overview')
      .set(auth(watchdog.token))
      .set('X-Agent-Id', 'cost-watchdog');
    const spiking = overview.body.data.find(
      (a: { spike: { flagged: boolean } }) => a.spike.flagged,
    );
    const opened = await platform
      .http()
      .post(`/api/v1/ai-agents/${spiking.agentId}/cases`)
      .set(auth(watchdog.token))
      .set('Idempotency-Key', 'case-1')
      .set('X-Agent-Id', 'cost-watchdog')
      .send({ title: 'Spend spike: 21x the usual daily spend', severity: 'error' });
    const detail = await platform
      .http()
      .get(`/api/v1/ai-agents/${spiking.agentId}`)
      .set(auth(watchdog.token));

    expect(overview.status).toBe(200);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      agentId: 'spender',
      case: { kind: 'case', severity: 'error', status: 'triggered', service: null },
      evidence: { agentId: 'spender', spike: { flagged: true } },
      events: [
        expect.objectContaining({ type: 'IncidentOpened' }),
        expect.objectContaining({ type: 'AgentCaseOpened' }),
      ],
    });
    expect(detail.body.cases).toEqual([
      expect.objectContaining({
        caseId: opened.body.case.id,
        url: `/api/v1/incidents/${opened.body.case.id}`,
      }),
    ]);

    const acknowledged = await eventually(async () => {
      const response = await platform
        .http()
        .post(`/api/v1/incidents/${opened.body.case.id}/acknowledge`)
        .set(auth(platform.fullToken))
        .send({});
      return response.status === 200 ? response.body : undefined;
    });
    expect(acknowledged).toMatchObject({ kind: 'case', status: 'acknowledged' });
  });

  it('refuses bad input with problem+json and errors[], storing nothing', async () => {
    const reader = await platform.mintToken(['ai-agents:read']);
    const before = await platform.http().get('/api/v1/ai-agents/overview').set(auth(reader.token));
    const good = otlpExport([
      { agentId: 'planner', model: 'gpt-4o-mini', inputTokens: 10, start: new Date(NOW) },
    ]);
    const bad = otlpExport([
      { agentId: 'planner', model: 'gpt-4o-mini', inputTokens: 10, start: new Date(NOW) },
      {
        agentId: 'planner',
        model: 'gpt-4o-mini',
        extra: { 'gen_ai.usage.output_tokens': -4 },
        start: new Date(NOW),
      },
    ]);
    const spans = bad.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    if (spans[0]) spans[0].traceId = 'not-hex';

    const refused = await send(bad);
    const notArray = await send({ resourceSpans: 'nope' });
    const unknownField = await send({ ...good, extra: true });
    const after = await platform.http().get('/api/v1/ai-agents/overview').set(auth(reader.token));
    const caseWithoutTitle = await platform
      .http()
      .post('/api/v1/ai-agents/planner/cases')
      .set(auth(platform.fullToken))
      .send({ severity: 'huge' });
    const badAgent = await platform
      .http()
      .get('/api/v1/ai-agents/bad%20agent')
      .set(auth(reader.token));
    const unknownAgent = await platform
      .http()
      .get('/api/v1/ai-agents/nobody')
      .set(auth(reader.token));

    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([
      {
        field: 'resourceSpans[0].scopeSpans[0].spans[0].traceId',
        message: 'must be 32 hex characters',
      },
      {
        field: 'resourceSpans[0].scopeSpans[0].spans[1].attributes.gen_ai.usage.output_tokens',
        message: 'must be a non-negative whole number',
      },
    ]);
    expect(notArray.status).toBe(400);
    expect(notArray.body.errors[0].field).toBe('resourceSpans');
    expect(unknownField.status).toBe(400);
    expect(after.body).toEqual(before.body);
    expect(caseWithoutTitle.status).toBe(400);
    const fields = caseWithoutTitle.body.errors.map((e: { field: string }) => e.field);
    expect([...new Set(fields)].sort()).toEqual(['severity', 'title']);
    expect(badAgent.status).toBe(400);
    expect(unknownAgent.status).toBe(404);
  });
});
