import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ProjectionRunner } from '@observe/projections';

import { startIncidentsTestApp, TestApp } from '../../incidents/src/testing/incidents-test-app';
import { OnCallContact, OnCallLookup, OnCallQuery } from './blast-radius/on-call-lookup';

type Body = Record<string, unknown>;

function client(platform: () => TestApp) {
  const auth = () => ({ Authorization: `Bearer ${platform().fullToken}` });
  return {
    post: (path: string, body: Body) => platform().http().post(path).set(auth()).send(body),
    get: (path: string) => platform().http().get(path).set(auth()),
    async seed(
      teams: string[],
      services: Array<[string, string]>,
      dependencies: Array<[string, string]>,
    ) {
      for (const id of teams) {
        await this.post('/api/v1/context/teams', {
          id,
          name: id.toUpperCase(),
          members: [{ id: `${id}-lead` }],
        });
      }
      for (const [id, ownerTeam] of services) {
        await this.post('/api/v1/context/services', { id, name: id, ownerTeam, tier: 2 });
      }
      for (const [from, to] of dependencies)
        await this.post('/api/v1/context/dependencies', { from, to });
    },
  };
}

const fields = (body: { errors?: Array<{ field: string }> }) => [
  ...new Set((body.errors ?? []).map((error) => error.field)),
];

describe('context graph (e2e)', () => {
  let platform: TestApp;
  const api = client(() => platform);

  beforeAll(async () => {
    platform = await startIncidentsTestApp({ label: 'context_graph', roles: ['api', 'projector'] });
  });

  afterAll(async () => {
    await platform.close();
  });

  describe('writing the topology', () => {
    it('registers a team, replaces its members when registered again, no-op if same', async () => {
      const first = await api.post('/api/v1/context/teams', {
        id: 'payments',
        name: 'Payments',
        members: [{ id: 'alice', name: 'Alice', email: 'alice@example.com' }, { id: 'bob' }],
      });
      const changed = await api.post('/api/v1/context/teams', {
        id: 'payments',
        name: 'Payments',
        members: [{ id: 'bob' }, { id: 'carol' }],
      });
      const same = await api.post('/api/v1/context/teams', {
        id: 'payments',
        name: 'Payments',
        members: [{ id: 'bob' }, { id: 'carol' }],
      });

      expect(first.status).toBe(201);
      expect(first.body.events.map((event: { type: string }) => event.type)).toEqual([
        'TeamRegistered',
      ]);
      expect(changed.body.members.map((member: { id: string }) => member.id)).toEqual([
        'bob',
        'carol',
      ]);
      expect(same.body.events).toEqual([]);
      const team = await api.get('/api/v1/context/teams/payments');
      expect(team.status).toBe(200);
      expect(team.body.members.map((member: { id: string }) => member.id)).toEqual([
        'bob',
        'carol',
      ]);
    });

    it('registers and updates services, declares dependencies, records deployments', async () => {
      await api.post('/api/v1/context/teams', { id: 'ledger-team', name: 'Ledger', members: [] });

      const service = await api.post('/api/v1/context/services', {
        id: 'payments-api',
        name: 'Payments API',
        ownerTeam: 'payments',
        tier: 0,
      });
      await api.post('/api/v1/context/services', {
        id: 'ledger',
        name: 'Ledger',
        ownerTeam: 'payments',
        tier: 1,
      });
      const moved = await api.post('/api/v1/context/services', {
        id: 'ledger',
        name: 'Ledger',
        ownerTeam: 'ledger-team',
        tier: 1,
      });
      const dependency = await api.post('/api/v1/context/dependencies', {
        from: 'payments-api',
        to: 'ledger',
      });
      const repeated = await api.post('/api/v1/context/dependencies', {
        from: 'payments-api',
        to: 'ledger',
      });
      const deployment = await api.post('/api/v1/context/deployments', {
        service: 'ledger',
        version: '3.1.0',
        link: 'https://ci.example.com/ledger/3.1.0',
      });

      expect(service.status).toBe(201);
      expect(service.body).toMatchObject({ id: 'payments-api', ownerTeam: 'payments', tier: 0 });
      expect(moved.body).toMatchObject({ ownerTeam: 'ledger-team' });
      expect(dependency.status).toBe(201);
      expect(dependency.body.events.map((event: { type: string }) => event.type)).toEqual([
        'DependencyDeclared',
      ]);
      expect(repeated.body.events).toEqual([]);
      expect(deployment.status).toBe(201);
      expect(deployment.body).toMatchObject({
        service: 'ledger',
        version: '3.1.0',
        at: expect.any(String),
      });
      const read = await api.get(`/api/v1/context/deployments/${deployment.body.id}`);
      expect(read.body).toMatchObject({
        id: deployment.body.id,
        evidence: { eventType: 'DeploymentRecorded' },
      });
    });

    it('answers 404 for unknown teams and services, 400 for bad input', async () => {
      const unknownTeam = await api.post('/api/v1/context/services', {
        id: 'orphan',
        name: 'Orphan',
        ownerTeam: 'nobody',
        tier: 1,
      });
      const unknownTarget = await api.post('/api/v1/context/dependencies', {
        from: 'payments-api',
        to: 'nowhere',
      });
      const unknownSource = await api.post('/api/v1/context/dependencies', {
        from: 'nowhere',
        to: 'ledger',
      });
      const unknownDeployed = await api.post('/api/v1/context/deployments', {
        service: 'nowhere',
        version: '1',
      });
      const badService = await api.post('/api/v1/context/services', {
        id: 'Bad Id',
        name: '',
        ownerTeam: 'payments',
        tier: 9,
      });
      const badTeam = await api.post('/api/v1/context/teams', {
        id: 'x',
        name: 'X',
        members: [{ id: 'a', email: 'not-an-email' }, { id: 'a' }],
      });
      const selfDependency = await api.post('/api/v1/context/dependencies', {
        from: 'ledger',
        to: 'ledger',
      });
      const badDeployment = await api.post('/api/v1/context/deployments', {
        service: 'ledger',
        version: '',
        at: 'yesterday',
        link: 'ftp://example.com',
      });

      for (const response of [unknownTeam, unknownTarget, unknownSource, unknownDeployed]) {
        expect(response.status).toBe(404);
        expect(response.body.type).toBe('/problems/not-found');
      }
      expect(unknownTeam.body.resource).toBe('team');
      expect(badService.status).toBe(400);
      expect(fields(badService.body).sort()).toEqual(['id', 'name', 'tier']);
      expect(fields(badTeam.body)).toEqual(['members.0.email']);
      expect(selfDependency.status).toBe(400);
      expect(fields(badDeployment.body).sort()).toEqual(['at', 'link', 'version']);
    });

    it('refuses writes from a context:read token', async () => {
      const reader = await platform.mintToken(['context:read']);

      const response = await platform
        .http()
        .post('/api/v1/context/teams')
        .set({ Authorization: `Bearer ${reader.token}`, 'Idempotency-Key': 'k1' })
        .send({ id: 'x', name: 'X', members: [] });

      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ requiredScope: 'context:write' });
    });
  });

  describe('reading the graph', () => {
    it('shows a service with its neighbours, each with evidence that links back', async () => {
      const incident = await api.post('/api/v1/incidents', {
        title: 'Ledger slow',
        severity: 'warning',
        service: 'ledger',
      });

      const response = await api.get('/api/v1/context/services/ledger');

      expect(response.status).toBe(200);
      expect(response.body.service).toMatchObject({
        id: 'ledger',
        ownerTeam: 'ledger-team',
        tier: 1,
      });
      const neighbours = response.body.neighbours.map(
        (entry: { relation: string; direction: string; node: { id: string } }) =>
          `${entry.direction} ${entry.relation} ${entry.node.id}`,
      );
      expect(neighbours).toEqual(
        expect.arrayContaining([
          'incoming owns ledger-team',
          'incoming depends_on payments-api',
          expect.stringMatching(/^incoming deployed_to /),
          `incoming affects ${incident.body.id}`,
        ]),
      );
      for (const neighbour of response.body.neighbours) {
        expect(neighbour.evidence).toMatchObject({
          eventId: expect.any(String),
          position: expect.any(String),
          at: expect.any(String),
          actor: { kind: 'user', name: 'test-operator' },
        });
        expect((await api.get(neighbour.evidence.link.api)).status).toBe(200);
      }
    });

    it('lists services with cursor paging', async () => {
      const first = await api.get('/api/v1/context/services?limit=1');
      const second = await api.get(
        `/api/v1/context/services?limit=1&cursor=${first.body.nextCursor}`,
      );

      expect(first.body.data.map((service: { id: string }) => service.id)).toEqual(['ledger']);
      expect(second.body.data.map((service: { id: string }) => service.id)).toEqual([
        'payments-api',
      ]);
    });

    it('answers 404 and 400 for unknown or malformed ids', async () => {
      const responses = await Promise.all([
        api.get('/api/v1/context/services/nowhere'),
        api.get('/api/v1/context/teams/nobody'),
        api.get('/api/v1/context/deployments/00000000-0000-4000-8000-000000000000'),
        api.get('/api/v1/context/services/NOT%20A%20SLUG'),
        api.get('/api/v1/context/deployments/nope'),
        api.get('/api/v1/context/services?cursor=JJJ'),
      ]);

      expect(responses.map((response) => response.status)).toEqual([404, 404, 404, 400, 400, 400]);
    });
  });

  describe('blast radius', () => {
    let incidentId: string;

    beforeAll(async () => {
      // a → b → c → a is a cycle; d depends on c; e on d; f on e (depth 3 from c).
      await api.seed(
        ['web', 'core'],
        [
          ['svc-a', 'web'],
          ['svc-b', 'web'],
          ['svc-c', 'core'],
          ['svc-d', 'core'],
          ['svc-e', 'web'],
          ['svc-f', 'web'],
        ],
        [
          ['svc-a', 'svc-b'],
          ['svc-b', 'svc-c'],
          ['svc-c', 'svc-a'],
          ['svc-d', 'svc-c'],
          ['svc-e', 'svc-d'],
          ['svc-f', 'svc-e'],
        ],
      );
      const other = await api.post('/api/v1/incidents', {
        title: 'B errors',
        severity: 'error',
        service: 'svc-b',
      });
      expect(other.status).toBe(201);
      const incident = await api.post('/api/v1/incidents', {
        title: 'C down',
        severity: 'critical',
        service: 'svc-c',
      });
      incidentId = incident.body.id;
    });

    it('walks dependents through a cycle, nearest first, with paths and owners', async () => {
      const response = await api.get(`/api/v1/context/incident/${incidentId}/blast`);

      expect(response.status).toBe(200);
      const impacted = response.body.impacted.map(
        (entry: { service: { id: string }; depth: number; path: string[] }) =>
          `${entry.depth} ${entry.path.join('>')}`,
      );
      expect(impacted).toEqual([
        '1 svc-c>svc-b',
        '1 svc-c>svc-d',
        '2 svc-c>svc-b>svc-a',
        '2 svc-c>svc-d>svc-e',
        '3 svc-c>svc-d>svc-e>svc-f',
      ]);
      const b = response.body.impacted[0];
      expect(b.owners).toEqual([
        expect.objectContaining({ team: expect.objectContaining({ id: 'web' }) }),
      ]);
      expect(b.openIncidents).toEqual([
        expect.objectContaining({ title: 'B errors', status: 'triggered' }),
      ]);
      expect(b.edge).toMatchObject({
        from: 'svc-b',
        to: 'svc-c',
        relation: 'depends_on',
        evidence: { eventType: 'DependencyDeclared' },
      });
      expect(response.body.origin.owners[0].team.id).toBe('core');
      expect(response.body).toMatchObject({ depthLimit: 6, truncated: false });
    });

    it('stops at the depth asked for and says it was cut', async () => {
      const response = await api.get(`/api/v1/context/incident/${incidentId}/blast?depth=1`);

      expect(
        response.body.impacted.map((entry: { service: { id: string } }) => entry.service.id),
      ).toEqual(['svc-b', 'svc-d']);
      expect(response.body).toMatchObject({ depthLimit: 1, truncated: true });
    });

    it('refuses a depth past 10, an unknown incident, and a scope it lacks', async () => {
      const responder = await platform.mintToken(['incidents:read']);

      const tooDeep = await api.get(`/api/v1/context/incident/${incidentId}/blast?depth=11`);
      const unknown = await api.get(
        '/api/v1/context/incident/00000000-0000-4000-8000-000000000000/blast',
      );
      const noScope = await platform
        .http()
        .get(`/api/v1/context/incident/${incidentId}/blast`)
        .set({ Authorization: `Bearer ${responder.token}` });

      expect(tooDeep.status).toBe(400);
      expect(fields(tooDeep.body)).toEqual(['depth']);
      expect(unknown.status).toBe(404);
      expect(noScope.status).toBe(403);
    });

    it('has nothing to impact for an incident without a service', async () => {
      const caseIncident = await api.post('/api/v1/incidents', {
        title: 'A case',
        severity: 'info',
        kind: 'case',
      });

      const response = await api.get(`/api/v1/context/incident/${caseIncident.body.id}/blast`);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ origin: { service: null }, impacted: [] });
    });
  });

  it('rebuilds the graph to exactly the live rows', async () => {
    const dataSource = platform.app.get(DataSource);
    const runner = platform.app.get(ProjectionRunner);
    const rows = () =>
      Promise.all(
        [
          'nodes ORDER BY kind, id',
          'edges ORDER BY kind, from_id, to_id',
          'deployments ORDER BY id',
        ].map((table) => dataSource.query(`SELECT * FROM context_graph.${table}`)),
      );
    const live = await rows();
    const [{ position }] = await dataSource.query(
      `SELECT position FROM projections.checkpoints WHERE name = 'context-graph'`,
    );

    await runner.rebuild('context-graph');
    await runner.waitForPosition(position, { projections: ['context-graph'], timeoutMs: 10_000 });

    expect(await rows()).toEqual(live);
  });
});

/** Stands in for the operations module: the web team's lead is on call. */
@Injectable()
class WebOnCall extends OnCallLookup {
  async contactsFor(query: OnCallQuery): Promise<OnCallContact[]> {
    if (!query.teams.includes('web')) return [];
    return [
      {
        for: { kind: 'team', id: 'web' },
        person: { id: 'web-lead', name: 'Web Lead', email: null },
        source: 'schedule-web-primary',
        until: null,
        link: null,
      },
    ];
  }
}

describe('blast radius with an on-call lookup (e2e)', () => {
  let platform: TestApp;
  const api = client(() => platform);

  beforeAll(async () => {
    platform = await startIncidentsTestApp({
      label: 'blast_on_call',
      roles: ['api', 'projector'],
      overrides: [{ provide: OnCallLookup, useClass: WebOnCall }],
    });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('lists on-call contacts of the owners of impacted services', async () => {
    await api.seed(
      ['web', 'core'],
      [
        ['front', 'web'],
        ['db', 'core'],
      ],
      [['front', 'db']],
    );
    const incident = await api.post('/api/v1/incidents', {
      title: 'DB down',
      severity: 'critical',
      service: 'db',
    });

    const response = await api.get(`/api/v1/context/incident/${incident.body.id}/blast`);

    expect(response.body.origin.onCall).toEqual([]);
    expect(response.body.impacted[0]).toMatchObject({
      service: { id: 'front' },
      onCall: [{ person: { id: 'web-lead' }, source: 'schedule-web-primary' }],
    });
  });
});
