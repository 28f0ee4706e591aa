import { randomUUID } from 'node:crypto';

import { ManualClock } from '@observe/core';
import { IncidentCommands } from '@observe/incidents';

import { eventually } from '../testing/eventually';
import { sprayRuleSource } from '../testing/rule-factory';
import { startTestApp, TestApp } from '../../../../test/support/test-app';
import { DetectionWorker } from './detection-worker';

describe('detection evaluation (e2e)', () => {
  let platform: TestApp;
  let worker: DetectionWorker;
  let ingestToken: string;
  let readToken: string;
  const clock = new ManualClock('2026-03-02T12:00:00Z');

  beforeAll(async () => {
    platform = await startTestApp({
      label: 'siem_detect',
      clock,
      environment: { DETECTOR_INTERVAL_MS: '60000', SIEM_EVENTS_MAX_BATCH: '50' },
    });
    worker = platform.app.get(DetectionWorker);
    ingestToken = (await platform.mintToken(['siem:write'])).token;
    readToken = (await platform.mintToken(['siem:read', 'incidents:read', 'audit:read'])).token;
  });

  afterAll(async () => {
    await platform.close();
  });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function publish(source: string): Promise<string> {
    const response = await platform
      .http()
      .post('/api/v1/siem/rules')
      .set(auth(platform.fullToken))
      .send({ source });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  function ingest(events: unknown[]) {
    return platform
      .http()
      .post('/api/v1/siem/events')
      .set(auth(ingestToken))
      .set('Idempotency-Key', randomUUID())
      .set('X-Agent-Id', 'log-shipper')
      .send({ events });
  }

  const failedLogin = (ip: string, second: number, user = 'root') => ({
    '@timestamp': new Date(clock.now().getTime() + second * 1000).toISOString(),
    event: { action: 'login_failed', outcome: 'failure' },
    source: { ip },
    user: { name: user },
  });

  /**
   * Drains until `count` more ingested events were evaluated: a transaction
   * open elsewhere on the server (another suite's) can hold fresh rows back
   * from the detector for a moment, as it does from any reader of new rows.
   */
  async function evaluate(count: number): Promise<void> {
    let evaluated = 0;
    await eventually(
      async () => {
        evaluated += (await worker.drain()).events;
        return evaluated >= count ? true : undefined;
      },
      10_000,
      `${count} events evaluated`,
    );
  }

  async function triggeredFor(ruleId: string) {
    const trail = await platform
      .http()
      .get('/api/v1/audit')
      .query({ type: 'DetectionTriggered', limit: 500 })
      .set(auth(readToken));
    return trail.body.data.filter(
      (entry: { data: { ruleId: string } }) => entry.data.ruleId === ruleId,
    );
  }

  it('fires once on a matching burst and opens a security incident with the events', async () => {
    const ruleId = await publish(
      sprayRuleSource({ id: randomUUID(), threshold: 4, timeframe: '5m' }),
    );
    const burst = Array.from({ length: 12 }, (_, n) => failedLogin('203.0.113.7', n, `user${n}`));
    const noise = [
      ...Array.from({ length: 6 }, (_, n) => ({
        ...failedLogin('198.51.100.1', n),
        event: { action: 'login_succeeded' },
      })),
      ...Array.from({ length: 3 }, (_, n) => failedLogin(`192.0.2.${n + 1}`, n)),
    ];

    const accepted = await ingest([...burst.slice(0, 7), ...noise]);
    await evaluate(16);
    await ingest(burst.slice(7));
    await evaluate(5);
    worker.forgetCache();
    await worker.drain();

    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ accepted: 16, events: [] });
    const detections = await triggeredFor(ruleId);
    expect(detections).toHaveLength(1);
    const detection = detections[0].data;
    expect(detection).toMatchObject({
      ruleId,
      ruleVersion: 1,
      groupBy: 'source.ip',
      group: '203.0.113.7',
      count: 5,
      severity: 'error',
      mitre: { tactics: ['credential_access'], techniques: ['T1110.003'] },
    });
    expect(
      detection.evidence.map((ref: { securityEventId: string }) => ref.securityEventId),
    ).toEqual(accepted.body.ids.slice(0, 5));
    expect(detections[0].actor).toMatchObject({ kind: 'system', name: 'detector' });

    const incident = await eventually(async () => {
      const response = await platform
        .http()
        .get(`/api/v1/incidents/${detection.incidentId}`)
        .set(auth(readToken));
      return response.status === 200 ? response.body : undefined;
    });
    expect(incident).toMatchObject({
      kind: 'security',
      severity: 'error',
      status: 'triggered',
      title: 'SSH password spraying (source.ip 203.0.113.7)',
      service: null,
    });
    const opened = await platform
      .http()
      .get('/api/v1/audit')
      .query({ stream: `incident-${detection.incidentId}` })
      .set(auth(readToken));
    const details = opened.body.data[0].data.details;
    expect(details).toMatchObject({ detectionId: detection.detectionId, count: 5 });
    expect(
      details.evidence.map((e: { event: { user: { name: string } } }) => e.event.user.name),
    ).toEqual(['user0', 'user1', 'user2', 'user3', 'user4']);

    const read = await eventually(async () => {
      const response = await platform
        .http()
        .get(`/api/v1/siem/detections/${detection.detectionId}`)
        .set(auth(readToken));
      return response.status === 200 ? response.body : undefined;
    });
    expect(read.events).toHaveLength(5);
    expect(read.urls.incident).toBe(`/api/v1/incidents/${detection.incidentId}`);
  });

  it('fires nothing for events that do not match', async () => {
    const ruleId = await publish(
      sprayRuleSource({ id: randomUUID(), threshold: 2, title: 'Quiet rule' }),
    );
    clock.advance(3_600_000);

    await ingest(
      Array.from({ length: 10 }, (_, n) => ({
        ...failedLogin('203.0.113.9', n),
        event: { action: 'password_changed' },
      })),
    );
    await evaluate(10);

    expect(await triggeredFor(ruleId)).toEqual([]);
  });

  it('keeps counting across a restart: the window comes back from its snapshot', async () => {
    clock.advance(3_600_000);
    const ruleId = await publish(
      sprayRuleSource({ id: randomUUID(), threshold: 3, title: 'Restart rule' }),
    );
    const ip = '203.0.113.50';

    await ingest([0, 1, 2].map((second) => failedLogin(ip, second)));
    await evaluate(3);
    worker.forgetCache();
    await ingest([3].map((second) => failedLogin(ip, second)));
    await evaluate(1);

    const detections = await triggeredFor(ruleId);
    expect(detections).toHaveLength(1);
    expect(detections[0].data).toMatchObject({ group: ip, count: 4 });
  });

  it('writes a firing once when its batch failed half-way and ran again', async () => {
    clock.advance(3_600_000);
    const ruleId = await publish(
      sprayRuleSource({ id: randomUUID(), threshold: 1, title: 'Crash rule' }),
    );
    const incidents = platform.app.get(IncidentCommands);
    const crash = jest.spyOn(incidents, 'open');
    crash.mockImplementationOnce(async (input) => {
      await incidents.open.call(incidents, input);
      throw new Error('process died after opening the incident');
    });

    await ingest([failedLogin('203.0.113.77', 0), failedLogin('203.0.113.77', 1)]);
    // Drains find nothing until the new rows are readable (see `evaluate`).
    const died = await eventually(
      () =>
        worker.drain().then(
          () => undefined,
          (error: unknown) => error,
        ),
      10_000,
      'the batch to fail',
    );
    expect(died).toEqual(
      expect.objectContaining({ message: expect.stringContaining('process died') }),
    );
    crash.mockRestore();
    await worker.drain();

    const detections = await triggeredFor(ruleId);
    expect(detections).toHaveLength(1);
    const opened = await platform
      .http()
      .get('/api/v1/audit')
      .query({ type: 'IncidentOpened', limit: 500 })
      .set(auth(readToken));
    const forRule = opened.body.data.filter(
      (entry: { data: { details: { rule?: { id: string } } | null } }) =>
        entry.data.details?.rule?.id === ruleId,
    );
    expect(forRule.map((entry: { data: { incidentId: string } }) => entry.data.incidentId)).toEqual(
      [detections[0].data.incidentId],
    );
  });

  it('refuses bad batches with problem+json naming each event, and writes nothing', async () => {
    const oversized = Array.from({ length: 51 }, (_, n) => failedLogin('203.0.113.1', n));

    const bad = await ingest([
      failedLogin('203.0.113.1', 0),
      'not an event',
      { '@timestamp': 'yesterday' },
      { message: 'nul \u0000 byte' },
    ]);
    const tooMany = await ingest(oversized);
    const missing = await platform
      .http()
      .post('/api/v1/siem/events')
      .set(auth(ingestToken))
      .set('Idempotency-Key', randomUUID())
      .send({ event: {} });

    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([
      { field: 'events[1]', message: 'must be a JSON object' },
      { field: 'events[2].@timestamp', message: 'must be an ISO-8601 time or epoch milliseconds' },
      { field: 'events[3]', message: 'must not contain the NUL character (\\u0000)' },
    ]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([
      { field: 'events', message: 'must hold 1 to 50 events; got 51' },
    ]);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'event',
      'events',
    ]);
  });
});
