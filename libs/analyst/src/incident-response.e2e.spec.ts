import { DataSource } from 'typeorm';

import { EventStore } from '@observe/event-store';

import { startIncidentsTestApp, TestApp } from '../../incidents/src/testing/incidents-test-app';
import { AnalystWorker } from './worker/analyst-worker';

const minutesAgo = (minutes: number): string =>
  new Date(Date.now() - minutes * 60_000).toISOString();

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('incident response loop (e2e)', () => {
  let platform: TestApp;
  let agent: { token: string };
  const operator = () => ({ Authorization: `Bearer ${platform.fullToken}` });
  const asAgent = (key: string) => ({
    Authorization: `Bearer ${agent.token}`,
    'Idempotency-Key': key,
    'X-Agent-Id': 'triage-bot',
    'X-Conversation-Id': 'conv-42',
  });

  const post = async (path: string, body: object, expected = 201) => {
    const response = await platform.http().post(path).set(operator()).send(body);
    expect({ path, status: response.status, body: response.body }).toMatchObject({
      status: expected,
    });
    return response.body;
  };
  const get = async (path: string, token = agent.token) =>
    platform
      .http()
      .get(path)
      .set({ Authorization: `Bearer ${token}` });

  let ledgerDeployment: { id: string };
  let incidentId: string;

  beforeAll(async () => {
    platform = await startIncidentsTestApp({ label: 'incident_response' });
    agent = await platform.mintToken(['incidents:read', 'incidents:write', 'context:read']);

    // Topology: storefront and mobile-bff depend on checkout, which depends on
    // payments-api, which depends on ledger; gift-cards hangs off storefront.
    for (const [id, name, members] of [
      ['payments', 'Payments', ['priya']],
      ['commerce', 'Commerce', ['sofia', 'jonas']],
      ['mobile', 'Mobile', ['maya']],
    ] as const) {
      await post('/api/v1/context/teams', {
        id,
        name,
        members: members.map((member) => ({ id: member })),
      });
    }
    for (const [id, ownerTeam, tier] of [
      ['ledger', 'payments', 1],
      ['payments-api', 'payments', 0],
      ['checkout', 'commerce', 0],
      ['storefront', 'commerce', 1],
      ['gift-cards', 'commerce', 2],
      ['mobile-bff', 'mobile', 1],
      ['catalog', 'commerce', 2],
    ] as const) {
      await post('/api/v1/context/services', { id, name: id, ownerTeam, tier });
    }
    for (const [from, to] of [
      ['payments-api', 'ledger'],
      ['checkout', 'payments-api'],
      ['storefront', 'checkout'],
      ['mobile-bff', 'checkout'],
      ['gift-cards', 'storefront'],
    ]) {
      await post('/api/v1/context/dependencies', { from, to });
    }
  });

  afterAll(async () => {
    await platform.close();
  });

  it('ranks the upstream deployment first for a downstream alert, citing it', async () => {
    ledgerDeployment = await post('/api/v1/context/deployments', {
      service: 'ledger',
      version: '3.1.0',
      at: minutesAgo(15),
      link: 'https://github.com/example/ledger/releases/tag/v3.1.0',
    });
    await post('/api/v1/context/deployments', {
      service: 'payments-api',
      version: '2.0.0',
      at: minutesAgo(210),
    });
    await post('/api/v1/context/deployments', {
      service: 'catalog',
      version: '9.9.9',
      at: minutesAgo(5),
    });

    const alert = await post(
      '/api/v1/alerts',
      {
        service: 'checkout',
        action: 'trigger',
        dedupKey: 'checkout-5xx',
        summary: 'Checkout 5xx rate above 5%',
        severity: 'critical',
        source: 'prometheus',
      },
      202,
    );
    incidentId = alert.incidentId;
    expect(alert).toMatchObject({
      outcome: 'opened',
      incident: { status: 'triggered', service: 'checkout' },
    });
    expect(alert.events).toEqual([expect.objectContaining({ type: 'IncidentOpened' })]);

    const analysis = await eventually(
      async () => (await get(`/api/v1/incidents/${incidentId}/analysis`)).body,
      (body) => body.status !== 'pending',
    );

    expect(analysis).toMatchObject({ status: 'complete', analyst: { name: 'rule-based' } });
    const [top, second] = analysis.probableCauses;
    expect(top).toMatchObject({ rank: 1, kind: 'deployment' });
    expect(top.evidence[0]).toMatchObject({ kind: 'deployment', id: ledgerDeployment.id });
    expect(second).toMatchObject({ kind: 'deployment' });
    expect(top.confidence).toBeGreaterThan(second.confidence);
    expect(JSON.stringify(analysis.probableCauses)).not.toContain('catalog');
    const cited = await get(top.evidence[0].link.api);
    expect(cited.status).toBe(200);
    expect(cited.body).toMatchObject({
      id: ledgerDeployment.id,
      service: 'ledger',
      version: '3.1.0',
    });
    // The path from checkout up to ledger, each hop citing its DependencyDeclared event.
    expect(top.evidence.slice(1).map((hop: { id: string }) => hop.id)).toEqual([
      'checkout->payments-api',
      'payments-api->ledger',
    ]);
    expect(analysis.suggestedActions[0].link.api).toBe(top.evidence[0].link.api);
  });

  it('lists the dependents in the blast radius with depth, path and owners', async () => {
    const response = await get(`/api/v1/context/incident/${incidentId}/blast`);

    expect(response.status).toBe(200);
    const blast = response.body;
    expect(blast.origin).toMatchObject({
      service: { id: 'checkout' },
      owners: [{ team: { id: 'commerce' } }],
    });
    const impacted = blast.impacted.map(
      (entry: { service: { id: string }; depth: number; path: string[] }) => ({
        id: entry.service.id,
        depth: entry.depth,
        path: entry.path,
      }),
    );
    expect(impacted).toEqual([
      { id: 'mobile-bff', depth: 1, path: ['checkout', 'mobile-bff'] },
      { id: 'storefront', depth: 1, path: ['checkout', 'storefront'] },
      { id: 'gift-cards', depth: 2, path: ['checkout', 'storefront', 'gift-cards'] },
    ]);
    const owners = blast.impacted.map((entry: { owners: Array<{ team: { id: string } }> }) =>
      entry.owners.map((owner) => owner.team.id),
    );
    expect(owners).toEqual([['mobile'], ['commerce'], ['commerce']]);
    for (const entry of blast.impacted) {
      expect(entry.edge).toMatchObject({
        from: entry.service.id,
        to: entry.path[entry.path.length - 2],
        evidence: { eventType: 'DependencyDeclared', actor: { kind: 'user' } },
      });
      expect((await get(entry.edge.evidence.link.api)).status).toBe(200);
      expect((await get(entry.owners[0].evidence.link.api)).status).toBe(200);
    }
    expect(
      blast.impacted.map((entry: { service: { id: string } }) => entry.service.id),
    ).not.toContain('catalog');
  });

  it('lets the agent act; the timeline shows who did what and what caused it', async () => {
    const acknowledged = await platform
      .http()
      .post(`/api/v1/incidents/${incidentId}/acknowledge`)
      .set(asAgent('ack-1'))
      .send({ note: 'looking at the ledger deployment' });
    const update = await platform
      .http()
      .post(`/api/v1/incidents/${incidentId}/updates`)
      .set(asAgent('update-1'))
      .send({ message: 'Rolling back ledger 3.1.0' });
    const resolved = await platform
      .http()
      .post(`/api/v1/incidents/${incidentId}/resolve`)
      .set(asAgent('resolve-1'))
      .send({ note: 'Rolled back ledger to 3.0.4' });

    expect([acknowledged.status, update.status, resolved.status]).toEqual([200, 201, 200]);
    const timeline = (await get(`/api/v1/incidents/${incidentId}/timeline`)).body.data;
    expect(timeline.map((entry: { type: string }) => entry.type)).toEqual([
      'IncidentOpened',
      'IncidentAnalyzed',
      'IncidentAcknowledged',
      'IncidentUpdatePosted',
      'IncidentResolved',
    ]);
    expect(timeline.map((entry: { sequence: number }) => entry.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(timeline[1]).toMatchObject({
      actor: { kind: 'system', name: 'incident-analyst' },
      causationId: timeline[0].eventId,
    });
    for (const entry of timeline.slice(2)) {
      expect(entry).toMatchObject({
        actor: { kind: 'agent' },
        agentId: 'triage-bot',
        conversationId: 'conv-42',
      });
    }
  });

  it('writes no second verdict when the analyst replays from the start (a restart)', async () => {
    const worker = platform.app.get(AnalystWorker);
    const store = platform.app.get(EventStore);
    const dataSource = platform.app.get(DataSource);
    const checkpoint = async (): Promise<string> =>
      (await dataSource.query(`SELECT position FROM analyst_worker.checkpoints`))[0].position;

    await worker.stop();
    await dataSource.query(`UPDATE analyst_worker.checkpoints SET position = 'start'`);
    worker.start();
    const replayed = await eventually(checkpoint, (position) => position !== 'start');

    expect(replayed).not.toBe('start');
    const events = await store.readStream(`incident-${incidentId}`);
    expect(events.filter((event) => event.type === 'IncidentAnalyzed')).toHaveLength(1);
  });

  it('answers pending until the verdict exists, 404 when unknown, 400 when malformed', async () => {
    const worker = platform.app.get(AnalystWorker);
    await worker.stop();
    const opened = await post('/api/v1/incidents', {
      title: 'Manual',
      severity: 'info',
      service: 'catalog',
    });

    const pending = await get(`/api/v1/incidents/${opened.id}/analysis`);
    worker.start();
    const done = await eventually(
      async () => (await get(`/api/v1/incidents/${opened.id}/analysis`)).body,
      (body) => body.status !== 'pending',
    );
    const unknown = await get('/api/v1/incidents/00000000-0000-4000-8000-000000000000/analysis');
    const malformed = await get('/api/v1/incidents/not-a-uuid/analysis');

    expect(pending.body).toEqual({ status: 'pending', incidentId: opened.id });
    expect(done).toMatchObject({ status: 'complete', incidentId: opened.id });
    expect(done.probableCauses[0]).toMatchObject({
      kind: 'deployment',
      evidence: [{ id: expect.any(String) }],
    });
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
  });
});
