import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { ManualClock } from '@observe/core';

import { TestApp } from '../../../../test/support/test-app';
import { OperationsScheduler } from '../operations-scheduler';
import { eventually } from '../testing/eventually';
import {
  agentGet,
  agentPost,
  auth,
  idempotencyKey,
  registerServices,
} from '../testing/operations-fixtures';
import { startOperationsTestApp } from '../testing/operations-test-app';

type Incident = { id: string; status: string; dedupKey: string; alertCount: number };

const SECRET = 'Bearer s3cret-monitor-credential-4711';
const REPLACED = 'replaced-api-key-0815';

/** A local service whose health endpoint answers what the test says. */
async function startTarget(): Promise<{
  url: string;
  status: { code: number };
  seen: Array<{ url: string; headers: IncomingHttpHeaders }>;
  server: Server;
}> {
  const status = { code: 200 };
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(status.code, { 'content-type': 'text/plain' });
    response.end(status.code === 200 ? 'ok' : 'down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/health`, status, seen, server };
}

describe('monitors (e2e)', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  let platform: TestApp;
  let agent: string;
  let target: Awaited<ReturnType<typeof startTarget>>;

  beforeAll(async () => {
    target = await startTarget();
    platform = await startOperationsTestApp({ label: 'monitors', clock, captureLogs: true });
    await registerServices(platform, { id: 'shop' }, ['checkout', 'search']);
    agent = (
      await platform.mintToken(['monitors:write', 'monitors:read', 'incidents:read', 'audit:read'])
    ).token;
  });

  afterAll(async () => {
    await platform.close();
    await new Promise((resolve) => target.server.close(resolve));
  });

  const tick = () => platform.app.get(OperationsScheduler).tick();
  const incidentsOf = async (service: string) =>
    (await agentGet(platform, agent, `/api/v1/incidents?service=${service}`)).body
      .data as Incident[];
  /** The scheduler writes outside any request: wait for the incidents read model to show it. */
  const incidentsWhen = (service: string, ready: (incidents: Incident[]) => boolean) =>
    eventually(
      async () => {
        const incidents = await incidentsOf(service);
        return ready(incidents) ? incidents : undefined;
      },
      5_000,
      `incidents of ${service}`,
    );

  it('opens one incident when an HTTP check fails, and resolves it on recovery', async () => {
    const created = await agentPost(platform, agent, '/api/v1/monitors', {
      name: 'checkout health',
      service: 'checkout',
      kind: 'http',
      settings: { url: target.url, intervalSeconds: 30, timeoutMs: 2_000 },
      credentials: { headers: { Authorization: SECRET } },
    });
    expect(created.status).toBe(201);
    expect(created.body.credentials).toEqual({ set: true, updatedAt: clock.now().toISOString() });
    const monitorId = created.body.id;

    await tick();
    expect(target.seen.at(-1)?.headers.authorization).toBe(SECRET);
    expect((await incidentsOf('checkout')).length).toBe(0);

    target.status.code = 503;
    for (let check = 0; check < 3; check += 1) {
      clock.advance(30_000);
      await tick();
    }
    const open = await incidentsWhen('checkout', (found) => found.length > 0);
    expect(open).toEqual([
      expect.objectContaining({
        status: 'triggered',
        dedupKey: `monitor-${monitorId}`,
        alertCount: 1,
      }),
    ]);
    const down = await agentGet(platform, agent, `/api/v1/monitors/${monitorId}`);
    expect(down.body.health).toMatchObject({
      state: 'down',
      alerting: true,
      consecutiveFailures: 3,
    });

    target.status.code = 200;
    clock.advance(30_000);
    await tick();
    const after = await incidentsWhen('checkout', (found) => found[0]?.status === 'resolved');
    expect(after).toEqual([expect.objectContaining({ id: open[0].id, status: 'resolved' })]);
    expect(
      (await agentGet(platform, agent, `/api/v1/monitors/${monitorId}`)).body.health,
    ).toMatchObject({
      state: 'up',
      alerting: false,
    });
  });

  it('runs a check once per interval, and not while paused', async () => {
    const created = await agentPost(platform, agent, '/api/v1/monitors', {
      name: 'search health',
      service: 'search',
      kind: 'http',
      settings: { url: `${target.url}?search`, intervalSeconds: 60, timeoutMs: 1_000 },
    });
    const hits = () => target.seen.filter((request) => request.url.endsWith('?search')).length;

    await Promise.all([tick(), tick(), tick()]);
    await tick();
    expect(hits()).toBe(1);
    clock.advance(60_000);
    await Promise.all([tick(), tick()]);
    expect(hits()).toBe(2);

    const paused = await agentPost(
      platform,
      agent,
      `/api/v1/monitors/${created.body.id}/pause`,
      {},
    );
    clock.advance(60_000);
    await tick();
    expect(paused.body.status).toBe('paused');
    expect(hits()).toBe(2);
  });

  it('alerts on a threshold over ingested points, and resolves when they fall back', async () => {
    const monitor = await agentPost(platform, agent, '/api/v1/monitors', {
      name: 'search latency',
      service: 'search',
      kind: 'threshold',
      settings: { metric: 'latency_p99_ms', operator: 'gt', threshold: 800, windowSeconds: 120 },
    });
    expect(monitor.status).toBe(201);
    const ingest = (value: number) =>
      agentPost(platform, agent, '/api/v1/metrics', {
        points: [
          { service: 'search', metric: 'latency_p99_ms', value, at: clock.now().toISOString() },
        ],
      });

    expect((await ingest(950)).status).toBe(202);
    clock.advance(60_000);
    await tick();
    const breached = await incidentsWhen('search', (found) => found.length > 0);
    expect(breached).toEqual([expect.objectContaining({ dedupKey: `monitor-${monitor.body.id}` })]);

    clock.advance(180_000);
    await ingest(200);
    clock.advance(1_000);
    await tick();
    const after = await incidentsWhen('search', (found) => found[0]?.status === 'resolved');
    expect(after).toHaveLength(1);
  });

  it('replaces credentials without ever showing them: answers, audit and logs', async () => {
    const [monitor] = (await agentGet(platform, agent, '/api/v1/monitors?service=checkout')).body
      .data;
    const tuned = await platform
      .http()
      .patch(`/api/v1/monitors/${monitor.id}`)
      .set(auth(agent))
      .set('Idempotency-Key', idempotencyKey())
      .send({
        settings: { intervalSeconds: 45 },
        credentials: { headers: { 'X-Api-Key': REPLACED } },
      });
    expect(tuned.status).toBe(200);
    expect(tuned.body.events.map((event: { type: string }) => event.type)).toEqual([
      'MonitorTuned',
      'MonitorCredentialsReplaced',
    ]);
    clock.advance(45_000);
    await tick();
    expect(target.seen.at(-1)?.headers['x-api-key']).toBe(REPLACED);

    const answers = [
      tuned.body,
      (await agentGet(platform, agent, `/api/v1/monitors/${monitor.id}`)).body,
      (await agentGet(platform, agent, '/api/v1/monitors')).body,
      (await agentGet(platform, agent, `/api/v1/audit?stream=monitor-${monitor.id}`)).body,
      (await agentGet(platform, agent, '/api/v1/audit?limit=500')).body,
      (await platform.http().get(`/api/v1/monitors/${monitor.id}`).set(auth(platform.fullToken)))
        .body,
    ];
    for (const answer of answers) {
      const text = JSON.stringify(answer);
      expect(text).not.toContain('s3cret-monitor-credential');
      expect(text).not.toContain(REPLACED);
    }
    const audit = answers[3] as { data: Array<{ type: string; data: { credentials: unknown } }> };
    expect(audit.data.find((entry) => entry.type === 'MonitorCreated')?.data.credentials).toBe(
      '[redacted]',
    );
    const logs = platform.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain('s3cret-monitor-credential');
    expect(logs).not.toContain(REPLACED);
  });

  it('refuses bad settings, inward targets and unknown services', async () => {
    const bad = await agentPost(platform, agent, '/api/v1/monitors', {
      name: 'bad',
      service: 'checkout',
      kind: 'http',
      settings: { url: 'ftp://x', intervalSeconds: 1, retries: 3 },
      credentials: { headers: { Host: 'evil' } },
    });
    const inward = await agentPost(platform, agent, '/api/v1/monitors', {
      name: 'metadata',
      service: 'checkout',
      kind: 'http',
      settings: { url: 'http://169.254.169.254/latest/meta-data' },
    });
    const unknown = await agentPost(platform, agent, '/api/v1/monitors', {
      name: 'nope',
      service: 'nope',
      kind: 'threshold',
      settings: { metric: 'x', operator: 'gt', threshold: 1 },
    });
    const points = await agentPost(platform, agent, '/api/v1/metrics', {
      points: [{ service: 'search', metric: 'bad metric!', value: 'high' }],
    });

    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['credentials.headers.Host']),
    );
    expect(inward.status).toBe(400);
    expect(inward.body.errors).toEqual([expect.objectContaining({ field: 'settings.url' })]);
    expect(unknown.status).toBe(404);
    expect(points.status).toBe(400);
    expect(points.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['points.0.metric', 'points.0.value']),
    );
  });
});
