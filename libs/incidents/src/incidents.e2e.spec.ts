import { DataSource } from 'typeorm';

import { ProjectionRunner } from '@observe/projections';

import { startIncidentsTestApp, TestApp } from './testing/incidents-test-app';

describe('incidents API (e2e)', () => {
  let platform: TestApp;
  const operator = () => ({ Authorization: `Bearer ${platform.fullToken}` });
  const UNKNOWN = '00000000-0000-4000-8000-000000000000';

  const post = (path: string, body: object = {}) =>
    platform.http().post(path).set(operator()).send(body);
  const get = (path: string) => platform.http().get(path).set(operator());
  const open = async (overrides: object = {}) => {
    const response = await post('/api/v1/incidents', {
      title: 'Checkout error rate above 5%',
      severity: 'error',
      service: 'checkout',
      ...overrides,
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const fields = (body: { errors?: Array<{ field: string }> }) => [
    ...new Set((body.errors ?? []).map((error) => error.field)),
  ];

  beforeAll(async () => {
    // No analyst here: its verdicts would move the sequences these tests assert on.
    platform = await startIncidentsTestApp({ label: 'incidents_api', roles: ['api', 'projector'] });
    await post('/api/v1/context/teams', { id: 'commerce', name: 'Commerce', members: [] });
    for (const id of ['checkout', 'cart']) {
      await post('/api/v1/context/services', { id, name: id, ownerTeam: 'commerce', tier: 1 });
    }
  });

  afterAll(async () => {
    await platform.close();
  });

  describe('POST /api/v1/incidents', () => {
    it('opens an incident and answers it with the event it wrote', async () => {
      const response = await post('/api/v1/incidents', {
        title: 'Checkout error rate above 5%',
        severity: 'critical',
        service: 'checkout',
        summary: 'Since 11:58',
        links: [{ href: 'https://grafana.example.com/d/checkout', text: 'dashboard' }],
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        kind: 'incident',
        status: 'triggered',
        severity: 'critical',
        service: 'checkout',
        alertCount: 0,
        sequence: 1,
        links: [{ href: 'https://grafana.example.com/d/checkout', text: 'dashboard' }],
        urls: { self: `/api/v1/incidents/${response.body.id}` },
      });
      expect(response.body.events).toEqual([
        { eventId: expect.any(String), type: 'IncidentOpened', position: expect.any(String) },
      ]);
      const read = await get(`/api/v1/incidents/${response.body.id}`);
      expect(read.status).toBe(200);
      expect({ ...read.body, events: response.body.events }).toEqual({
        ...response.body,
        onCall: [],
      });
    });

    it('opens other kinds without a service', async () => {
      const caseIncident = await open({
        kind: 'case',
        service: undefined,
        title: 'Agent spend spike',
      });

      expect(caseIncident).toMatchObject({ kind: 'case', service: null });
    });

    it('refuses bad input with 400 and the fields, an unknown service with 404', async () => {
      const invalid = await post('/api/v1/incidents', {
        title: '',
        severity: 'fatal',
        service: 'Not A Slug',
        links: [{ href: 'not a url' }],
        extra: true,
      });
      const noService = await post('/api/v1/incidents', { title: 'x', severity: 'info' });
      const unknownService = await post('/api/v1/incidents', {
        title: 'x',
        severity: 'info',
        service: 'nowhere',
      });

      expect(invalid.status).toBe(400);
      expect(invalid.headers['content-type']).toContain('application/problem+json');
      expect(fields(invalid.body)).toEqual(
        expect.arrayContaining(['title', 'severity', 'service', 'links.0.href', 'extra']),
      );
      expect(noService.status).toBe(400);
      expect(fields(noService.body)).toEqual(['service']);
      expect(unknownService.status).toBe(404);
      expect(unknownService.body).toMatchObject({
        type: '/problems/not-found',
        resource: 'service',
      });
    });

    it('refuses a dedup key held by another open incident', async () => {
      const first = await open({ dedupKey: 'manual-1' });
      const second = await post('/api/v1/incidents', {
        title: 'again',
        severity: 'info',
        service: 'checkout',
        dedupKey: 'manual-1',
      });

      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ type: '/problems/conflict', incidentId: first.id });
    });
  });

  describe('responding', () => {
    it('acknowledges once; again answers the current state with no event', async () => {
      const incident = await open();

      const first = await post(`/api/v1/incidents/${incident.id}/acknowledge`, { note: 'on it' });
      const again = await post(`/api/v1/incidents/${incident.id}/acknowledge`);

      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'acknowledged', sequence: 2 });
      expect(first.body.events.map((event: { type: string }) => event.type)).toEqual([
        'IncidentAcknowledged',
      ]);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'acknowledged', sequence: 2, events: [] });
      expect(again.body.acknowledgedAt).toBe(first.body.acknowledgedAt);
    });

    it('resolves with a note; acknowledging or resolving again is 409 with the state', async () => {
      const incident = await open();

      const resolved = await post(`/api/v1/incidents/${incident.id}/resolve`, {
        note: 'rolled back',
      });
      const acknowledge = await post(`/api/v1/incidents/${incident.id}/acknowledge`);
      const resolveAgain = await post(`/api/v1/incidents/${incident.id}/resolve`, {
        note: 'again',
      });

      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ status: 'resolved', resolutionNote: 'rolled back' });
      for (const refused of [acknowledge, resolveAgain]) {
        expect(refused.status).toBe(409);
        expect(refused.body).toMatchObject({ type: '/problems/illegal-state', state: 'resolved' });
        expect(refused.body.detail).toContain('is resolved');
      }
    });

    it('posts updates, changes severity and assigns, each once', async () => {
      const incident = await open();
      const path = `/api/v1/incidents/${incident.id}`;

      const update = await post(`${path}/updates`, {
        message: 'Rolling back',
        links: [{ href: 'https://ci.example.com/run/1' }],
      });
      const severity = await post(`${path}/severity`, {
        severity: 'critical',
        reason: 'all users',
      });
      const sameSeverity = await post(`${path}/severity`, { severity: 'critical' });
      const assigned = await post(`${path}/assign`, { assignee: 'alice@example.com' });

      expect(update.status).toBe(201);
      expect(update.body.lastUpdate).toMatchObject({
        message: 'Rolling back',
        links: [{ href: 'https://ci.example.com/run/1', text: null }],
      });
      expect(severity.status).toBe(200);
      expect(severity.body).toMatchObject({ severity: 'critical', sequence: 3 });
      expect(sameSeverity.body.events).toEqual([]);
      expect(assigned.body).toMatchObject({ assignee: 'alice@example.com', sequence: 4 });
      expect((await get(path)).body).toMatchObject({
        severity: 'critical',
        assignee: 'alice@example.com',
      });
    });

    it('takes alternate changes from two API processes, each on the latest state', async () => {
      const other = await startIncidentsTestApp({
        label: 'incidents_api_other',
        roles: ['api'],
        databaseUrl: platform.databaseUrl,
      });
      try {
        const incident = await open();
        const path = `/api/v1/incidents/${incident.id}`;
        const severities = ['critical', 'warning', 'error', 'critical', 'info', 'error'];

        // Each process remembers the state it last wrote; the other moved it since.
        const answers = [];
        for (const [index, severity] of severities.entries()) {
          const app = index % 2 === 0 ? platform : other;
          answers.push(
            await app.http().post(`${path}/severity`).set(operator()).send({ severity }),
          );
        }

        expect(answers.map((answer) => answer.status)).toEqual(severities.map(() => 200));
        expect(answers.map((answer) => answer.body.sequence)).toEqual([2, 3, 4, 5, 6, 7]);
        expect((await get(path)).body).toMatchObject({ severity: 'error', sequence: 7 });
      } finally {
        await other.close();
      }
    });

    it('answers 404 for an unknown incident and 400 for a malformed id or body', async () => {
      const incident = await open();

      const unknown = await post(`/api/v1/incidents/${UNKNOWN}/acknowledge`);
      const malformedId = await post('/api/v1/incidents/42/acknowledge');
      const noNote = await post(`/api/v1/incidents/${incident.id}/resolve`, {});
      const badSeverity = await post(`/api/v1/incidents/${incident.id}/severity`, {
        severity: 'huge',
      });
      const badAssignee = await post(`/api/v1/incidents/${incident.id}/assign`, {
        assignee: 'a b',
      });
      const noMessage = await post(`/api/v1/incidents/${incident.id}/updates`, { links: [] });

      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ type: '/problems/not-found', resource: 'incident' });
      expect(malformedId.status).toBe(400);
      expect(
        [noNote, badSeverity, badAssignee, noMessage].map((response) => response.status),
      ).toEqual([400, 400, 400, 400]);
      expect(fields(noNote.body)).toEqual(['note']);
      expect(fields(badSeverity.body)).toEqual(['severity']);
      expect(fields(badAssignee.body)).toEqual(['assignee']);
      expect(fields(noMessage.body)).toContain('message');
    });
  });

  describe('reading', () => {
    it('lists with filters and cursor paging, newest first', async () => {
      const since = new Date().toISOString();
      const opened = [];
      for (const severity of ['warning', 'warning', 'warning']) {
        opened.push(await open({ service: 'cart', severity }));
      }
      await post(`/api/v1/incidents/${opened[0].id}/resolve`, { note: 'done' });

      const first = await get(`/api/v1/incidents?service=cart&since=${since}&limit=2`);
      const second = await get(
        `/api/v1/incidents?service=cart&since=${since}&limit=2&cursor=${first.body.nextCursor}`,
      );
      const resolved = await get(`/api/v1/incidents?service=cart&status=resolved`);
      const critical = await get(`/api/v1/incidents?service=cart&severity=critical`);

      const ids = (body: { data: Array<{ id: string }> }) =>
        body.data.map((incident) => incident.id);
      expect(ids(first.body)).toEqual([opened[2].id, opened[1].id]);
      expect(ids(second.body)).toEqual([opened[0].id]);
      expect(second.body.nextCursor).toBeNull();
      expect(ids(resolved.body)).toEqual([opened[0].id]);
      expect(critical.body.data).toEqual([]);
    });

    it('refuses bad filters and cursors with 400', async () => {
      const responses = await Promise.all([
        get('/api/v1/incidents?status=open'),
        get('/api/v1/incidents?limit=0'),
        get('/api/v1/incidents?since=yesterday'),
        get('/api/v1/incidents?cursor=bm9wZQ'),
        get('/api/v1/incidents?colour=red'),
      ]);

      expect(responses.map((response) => response.status)).toEqual([400, 400, 400, 400, 400]);
    });

    it('answers 404 for an unknown incident', async () => {
      expect((await get(`/api/v1/incidents/${UNKNOWN}`)).status).toBe(404);
      expect((await get(`/api/v1/incidents/${UNKNOWN}/timeline`)).status).toBe(404);
    });

    it('reads the timeline from the stream: actor, agent, conversation, no secrets', async () => {
      const agent = await platform.mintToken(['incidents:read', 'incidents:write'], 100, 'triage');
      const incident = await open({ details: { password: 'hunter2', region: 'eu-west-1' } });
      await platform
        .http()
        .post(`/api/v1/incidents/${incident.id}/acknowledge`)
        .set({
          Authorization: `Bearer ${agent.token}`,
          'Idempotency-Key': 'ack-timeline',
          'X-Agent-Id': 'triage-bot',
          'X-Conversation-Id': 'conv-7',
        });

      const page = await get(`/api/v1/incidents/${incident.id}/timeline?limit=1`);
      const rest = await get(
        `/api/v1/incidents/${incident.id}/timeline?cursor=${page.body.nextCursor}`,
      );

      expect(page.body.data).toEqual([
        expect.objectContaining({
          sequence: 1,
          type: 'IncidentOpened',
          actor: expect.objectContaining({ kind: 'user', name: 'test-operator' }),
          agentId: null,
        }),
      ]);
      expect(page.body.data[0].data.details).toEqual({
        password: '[redacted]',
        region: 'eu-west-1',
      });
      expect(rest.body.data).toEqual([
        expect.objectContaining({
          sequence: 2,
          type: 'IncidentAcknowledged',
          actor: expect.objectContaining({ kind: 'agent', name: 'triage', tokenId: agent.id }),
          agentId: 'triage-bot',
          conversationId: 'conv-7',
        }),
      ]);
      expect(JSON.stringify(rest.body)).not.toContain('hunter2');
    });
  });

  it('enforces scopes: read-only tokens cannot write, others cannot read', async () => {
    const reader = await platform.mintToken(['incidents:read']);
    const stranger = await platform.mintToken(['context:read']);
    const incident = await open();

    const write = await platform
      .http()
      .post(`/api/v1/incidents/${incident.id}/acknowledge`)
      .set({ Authorization: `Bearer ${reader.token}`, 'Idempotency-Key': 'scope-1' });
    const read = await platform
      .http()
      .get(`/api/v1/incidents/${incident.id}`)
      .set({ Authorization: `Bearer ${stranger.token}` });

    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ requiredScope: 'incidents:write' });
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ requiredScope: 'incidents:read' });
  });

  it('rebuilds the read model to exactly the live rows', async () => {
    const dataSource = platform.app.get(DataSource);
    const runner = platform.app.get(ProjectionRunner);
    const rows = () =>
      Promise.all([
        dataSource.query(`SELECT * FROM incidents.incidents ORDER BY id`),
        dataSource.query(`SELECT * FROM incidents.alerts ORDER BY event_id`),
      ]);
    const live = await rows();
    const [{ position }] = await dataSource.query(
      `SELECT position FROM projections.checkpoints WHERE name = 'incidents'`,
    );

    await runner.rebuild('incidents');
    await runner.waitForPosition(position, { projections: ['incidents'], timeoutMs: 10_000 });

    expect(await rows()).toEqual(live);
    expect(live[0].length).toBeGreaterThan(5);
  });
});
