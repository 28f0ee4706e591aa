import { randomUUID } from 'node:crypto';

import { ManualClock } from '@observe/core';

import { rootLoginRuleSource, sprayRuleSource } from '../../testing/rule-factory';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';

describe('detection catalog and publishing (e2e)', () => {
  let platform: TestApp;
  const clock = new ManualClock('2026-03-02T08:00:00Z');

  beforeAll(async () => {
    platform = await startTestApp({ label: 'siem_rules', clock });
  });

  afterAll(async () => {
    await platform.close();
  });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('lets a scoped token publish but never revise or disable; a full token can', async () => {
    const engineer = await platform.mintToken(['siem:write', 'siem:read'], 100, 'detection-agent');
    const auditor = await platform.mintToken(['audit:read']);
    const ruleId = randomUUID();
    const agentCall = (path: string, body: object, key: string) =>
      platform
        .http()
        .post(path)
        .set(auth(engineer.token))
        .set('Idempotency-Key', key)
        .set('X-Agent-Id', 'detection-engineer')
        .set('X-Conversation-Id', 'conv-42')
        .send(body);

    const published = await agentCall(
      '/api/v1/siem/rules',
      { source: sprayRuleSource({ id: ruleId }) },
      'p-1',
    );
    const revise = await agentCall(
      `/api/v1/siem/rules/${ruleId}/versions`,
      { source: sprayRuleSource({ id: ruleId, threshold: 20 }) },
      'r-1',
    );
    const disable = await agentCall(
      `/api/v1/siem/rules/${ruleId}/disable`,
      { reason: 'noisy' },
      'd-1',
    );

    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({
      id: ruleId,
      version: 1,
      status: 'active',
      severity: 'error',
      mitre: { tactics: ['credential_access'], techniques: ['T1110.003'] },
      publishedBy: {
        agentId: 'detection-engineer',
        conversationId: 'conv-42',
        actor: { kind: 'agent' },
      },
      events: [expect.objectContaining({ type: 'RulePublished' })],
    });
    for (const refused of [revise, disable]) {
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body.type).toBe('/problems/full-token-required');
    }

    const revised = await platform
      .http()
      .post(`/api/v1/siem/rules/${ruleId}/versions`)
      .set(auth(platform.fullToken))
      .set('X-Agent-Id', 'soc-lead')
      .send({ source: sprayRuleSource({ id: ruleId, threshold: 20 }), note: 'build farm retries' });
    const disabled = await platform
      .http()
      .post(`/api/v1/siem/rules/${ruleId}/disable`)
      .set(auth(platform.fullToken))
      .set('X-Agent-Id', 'soc-lead')
      .send({ reason: 'replaced by a correlation rule' });

    expect(revised.status).toBe(201);
    expect(revised.body).toMatchObject({
      version: 2,
      events: [expect.objectContaining({ type: 'RuleRevised' })],
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({
      status: 'disabled',
      disabledReason: 'replaced by a correlation rule',
    });

    const trail = await platform
      .http()
      .get('/api/v1/audit')
      .query({ stream: `rule-${ruleId}` })
      .set(auth(auditor.token));
    expect(
      trail.body.data.map((entry: { type: string; agentId: string; actor: { kind: string } }) => [
        entry.type,
        entry.agentId,
        entry.actor.kind,
      ]),
    ).toEqual([
      ['RulePublished', 'detection-engineer', 'agent'],
      ['RuleRevised', 'soc-lead', 'user'],
      ['RuleDisabled', 'soc-lead', 'user'],
    ]);
    expect(trail.body.data[0]).toMatchObject({ conversationId: 'conv-42', idempotencyKey: 'p-1' });

    const read = await platform
      .http()
      .get(`/api/v1/siem/rules/${ruleId}`)
      .set(auth(engineer.token));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'disabled',
      version: 2,
      publishedBy: { agentId: 'detection-engineer' },
      lastChangedBy: { agentId: 'soc-lead', actor: { kind: 'user' } },
    });
    expect(
      read.body.versions.map((v: { version: number; note: string | null }) => [v.version, v.note]),
    ).toEqual([
      [1, null],
      [2, 'build farm retries'],
    ]);
  });

  it('refuses an invalid rule with its line and reason, and writes nothing', async () => {
    const engineer = await platform.mintToken(['siem:write', 'siem:read']);
    const source = sprayRuleSource({ id: null }).replace(
      'event.action: login_failed',
      'event.action|base64: x',
    );
    const before = await platform.http().get('/api/v1/siem/rules').set(auth(engineer.token));

    const refused = await platform
      .http()
      .post('/api/v1/siem/rules')
      .set(auth(engineer.token))
      .set('Idempotency-Key', randomUUID())
      .send({ source });
    const after = await platform.http().get('/api/v1/siem/rules').set(auth(engineer.token));

    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      type: '/problems/validation-error',
      line: 12,
      column: 18,
      reason: 'modifier |base64 is not supported',
      errors: [
        {
          field: 'detection.selection.event.action|base64',
          message: expect.stringMatching(/^line 12, column 18/),
        },
      ],
    });
    expect(after.body.data).toHaveLength(before.body.data.length);

    const nul = await platform
      .http()
      .post('/api/v1/siem/rules')
      .set(auth(engineer.token))
      .set('Idempotency-Key', randomUUID())
      .send({ source: sprayRuleSource({ id: null, title: 'Nul \u0000 title' }) });
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toEqual([
      { field: 'source', message: 'must not contain the NUL character' },
    ]);
  });

  it('refuses a second publication of the same Sigma id with 409', async () => {
    const ruleId = randomUUID();
    const publish = () =>
      platform
        .http()
        .post('/api/v1/siem/rules')
        .set(auth(platform.fullToken))
        .send({ source: rootLoginRuleSource(ruleId) });

    expect((await publish()).status).toBe(201);
    const again = await publish();

    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('revise it');
  });

  it('lists the catalog newest first, filtered by status, severity and tactic, paged', async () => {
    const reader = await platform.mintToken(['siem:read']);
    for (let n = 0; n < 3; n += 1) {
      clock.advance(1_000);
      await platform
        .http()
        .post('/api/v1/siem/rules')
        .set(auth(platform.fullToken))
        .send({ source: rootLoginRuleSource(null).replace('Root login', `Root login ${n}`) });
    }
    const list = (query: Record<string, string | number>) =>
      platform.http().get('/api/v1/siem/rules').query(query).set(auth(reader.token));

    const critical = await list({
      severity: 'critical',
      status: 'active',
      tactic: 'initial_access',
    });
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ severity: 'critical', limit: 2, ...(cursor ? { cursor } : {}) });
      pages.push(...page.body.data.map((rule: { title: string }) => rule.title));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const none = await list({ tactic: 'exfiltration' });
    const bad = await list({ severity: 'huge', limit: 0 });

    expect(critical.status).toBe(200);
    expect(critical.body.data.slice(0, 3).map((rule: { title: string }) => rule.title)).toEqual([
      'Root login 2 from outside',
      'Root login 1 from outside',
      'Root login 0 from outside',
    ]);
    expect(critical.body.data[0]).not.toHaveProperty('versions');
    expect(pages).toEqual(critical.body.data.map((rule: { title: string }) => rule.title));
    expect(none.body).toEqual({ data: [], nextCursor: null });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'limit',
      'severity',
    ]);
  });

  it('answers 404 for an unknown rule and 400 for a malformed id', async () => {
    const reader = await platform.mintToken(['siem:read']);

    const unknown = await platform
      .http()
      .get(`/api/v1/siem/rules/${randomUUID()}`)
      .set(auth(reader.token));
    const malformed = await platform
      .http()
      .get('/api/v1/siem/rules/not-a-uuid')
      .set(auth(reader.token));

    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});
