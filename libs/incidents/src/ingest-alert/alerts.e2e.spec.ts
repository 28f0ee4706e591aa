import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AggregateRepository } from '@observe/commands';

import { startIncidentsTestApp, TestApp } from '../testing/incidents-test-app';
import {
  AlertSuppressionPolicy,
  IncomingAlert,
  SuppressionDecision,
} from './alert-suppression.policy';

const trigger = (overrides: object = {}) => ({
  service: 'checkout',
  action: 'trigger',
  dedupKey: randomUUID(),
  summary: 'Checkout 5xx rate above 5%',
  severity: 'critical',
  source: 'prometheus',
  ...overrides,
});

async function registerTopology(platform: TestApp): Promise<void> {
  const auth = { Authorization: `Bearer ${platform.fullToken}` };
  await platform
    .http()
    .post('/api/v1/context/teams')
    .set(auth)
    .send({ id: 'commerce', name: 'C', members: [] });
  for (const id of ['checkout', 'cart']) {
    await platform
      .http()
      .post('/api/v1/context/services')
      .set(auth)
      .send({ id, name: id, ownerTeam: 'commerce', tier: 1 });
  }
}

describe('alert ingestion (e2e)', () => {
  let platform: TestApp;
  const send = (body: object | string) =>
    platform
      .http()
      .post('/api/v1/alerts')
      .set({ Authorization: `Bearer ${platform.fullToken}`, 'Content-Type': 'application/json' })
      .send(body);
  const eventCount = async (): Promise<number> =>
    (
      await platform.app.get(DataSource).query(`SELECT count(*)::int AS n FROM event_store.events`)
    )[0].n;

  beforeAll(async () => {
    platform = await startIncidentsTestApp({ label: 'alerts', roles: ['api', 'projector'] });
    await registerTopology(platform);
  });

  afterAll(async () => {
    await platform.close();
  });

  it('opens, appends, acknowledges and resolves by dedup key, then opens anew', async () => {
    const dedupKey = 'checkout-5xx';

    const opened = await send(trigger({ dedupKey }));
    const appended = await send(trigger({ dedupKey, summary: 'Checkout 5xx rate above 8%' }));
    const acknowledged = await send({ service: 'checkout', action: 'acknowledge', dedupKey });
    const stillOpen = await send(trigger({ dedupKey }));
    const resolved = await send({
      service: 'checkout',
      action: 'resolve',
      dedupKey,
      summary: 'back',
    });
    const again = await send({ service: 'checkout', action: 'resolve', dedupKey });
    const reopened = await send(trigger({ dedupKey }));

    expect(opened.status).toBe(202);
    expect(opened.body).toMatchObject({ outcome: 'opened', dedupKey, incident: { alertCount: 1 } });
    const incidentId = opened.body.incidentId;
    expect(appended.body).toMatchObject({
      outcome: 'appended',
      incidentId,
      incident: { alertCount: 2 },
    });
    expect(appended.body.events.map((event: { type: string }) => event.type)).toEqual([
      'AlertAdded',
    ]);
    expect(acknowledged.body).toMatchObject({
      outcome: 'acknowledged',
      incident: { status: 'acknowledged' },
    });
    expect(stillOpen.body).toMatchObject({
      outcome: 'appended',
      incidentId,
      incident: { alertCount: 3 },
    });
    expect(resolved.body).toMatchObject({
      outcome: 'resolved',
      incident: { status: 'resolved', resolutionNote: 'back' },
    });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ outcome: 'unchanged', events: [] });
    expect(reopened.body.outcome).toBe('opened');
    expect(reopened.body.incidentId).not.toBe(incidentId);
  });

  it('generates a dedup key for a trigger without one', async () => {
    const response = await send(trigger({ dedupKey: undefined }));

    expect(response.body).toMatchObject({ outcome: 'opened', dedupKey: expect.any(String) });
    expect(response.body.incident.dedupKey).toBe(response.body.dedupKey);
  });

  it('opens one incident for 20 concurrent triggers with one dedup key', async () => {
    const dedupKey = `storm-${randomUUID()}`;

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        send(trigger({ dedupKey, summary: `storm ${index}` })),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
    const outcomes = responses.map((response) => response.body.outcome).sort();
    expect(outcomes).toEqual(['opened', ...Array(19).fill('appended')].sort());
    expect(new Set(responses.map((response) => response.body.incidentId)).size).toBe(1);
    const incident = await platform
      .http()
      .get(`/api/v1/incidents/${responses[0].body.incidentId}`)
      .set({ Authorization: `Bearer ${platform.fullToken}` });
    expect(incident.body).toMatchObject({ alertCount: 20, sequence: 20 });
  });

  it('answers 404 for an unknown service or dedup key, writing nothing', async () => {
    const before = await eventCount();

    const unknownService = await send(trigger({ service: 'nowhere' }));
    const unknownKey = await send({
      service: 'checkout',
      action: 'resolve',
      dedupKey: 'never-seen',
    });

    expect(unknownService.status).toBe(404);
    expect(unknownService.body).toMatchObject({ type: '/problems/not-found', resource: 'service' });
    expect(unknownKey.status).toBe(404);
    expect(unknownKey.body).toMatchObject({ resource: 'dedup-key', dedupKey: 'never-seen' });
    expect(await eventCount()).toBe(before);
  });

  it('refuses malformed and oversized payloads with 400, writing nothing', async () => {
    const before = await eventCount();

    const missing = await send({ service: 'checkout', action: 'trigger' });
    const badAction = await send(trigger({ action: 'explode', severity: 'loud', extra: 1 }));
    const noKey = await send({ service: 'checkout', action: 'acknowledge' });
    const badLink = await send(trigger({ links: [{ href: 'javascript:alert(1)' }] }));
    const bigDetails = await send(trigger({ details: { blob: 'x'.repeat(70_000) } }));
    const tooLarge = await send(trigger({ details: { blob: 'x'.repeat(1_100_000) } }));
    const notJson = await send('{"service": "checkout",');

    const fields = (body: { errors?: Array<{ field: string }> }) =>
      [...new Set((body.errors ?? []).map((error) => error.field))].sort();
    expect(missing.status).toBe(400);
    expect(fields(missing.body)).toEqual(['severity', 'source', 'summary']);
    expect(fields(badAction.body)).toEqual(['action', 'extra', 'severity']);
    expect(fields(noKey.body)).toEqual(['dedupKey']);
    expect(fields(badLink.body)).toEqual(['links.0.href']);
    expect(fields(bigDetails.body)).toEqual(['details']);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.type).toBe('/problems/payload-too-large');
    expect(notJson.status).toBe(400);
    expect(notJson.headers['content-type']).toContain('application/problem+json');
    expect(await eventCount()).toBe(before);
  });

  it('needs alerts:write; incidents:write is not enough', async () => {
    const sender = await platform.mintToken(['alerts:write']);
    const responder = await platform.mintToken(['incidents:write']);
    const as = (token: string, key: string) => ({
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': key,
    });

    const allowed = await platform
      .http()
      .post('/api/v1/alerts')
      .set(as(sender.token, 'a1'))
      .send(trigger());
    const refused = await platform
      .http()
      .post('/api/v1/alerts')
      .set(as(responder.token, 'a2'))
      .send(trigger());

    expect(allowed.status).toBe(202);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ requiredScope: 'alerts:write' });
  });
});

/** Stands in for the maintenance module: cart is in a maintenance window. */
@Injectable()
class CartMaintenance extends AlertSuppressionPolicy {
  constructor(private readonly aggregates: AggregateRepository) {
    super();
  }

  async evaluate(alert: IncomingAlert): Promise<SuppressionDecision> {
    if (alert.service !== 'cart') return { suppressed: false };
    await this.aggregates.append(
      'maintenance-window-1',
      [{ type: 'AlertSuppressed', data: { service: alert.service, dedupKey: alert.dedupKey } }],
      'any',
    );
    return {
      suppressed: true,
      reason: 'cart is in a maintenance window',
      suppressedBy: { kind: 'maintenance', id: 'window-1' },
    };
  }
}

describe('alert suppression hook (e2e)', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startIncidentsTestApp({
      label: 'alert_suppression',
      roles: ['api', 'projector'],
      overrides: [{ provide: AlertSuppressionPolicy, useClass: CartMaintenance }],
    });
    await registerTopology(platform);
  });

  afterAll(async () => {
    await platform.close();
  });

  it('records AlertSuppressed instead of opening an incident when the policy says so', async () => {
    const auth = { Authorization: `Bearer ${platform.fullToken}` };

    const suppressed = await platform
      .http()
      .post('/api/v1/alerts')
      .set(auth)
      .send(trigger({ service: 'cart' }));
    const opened = await platform.http().post('/api/v1/alerts').set(auth).send(trigger());

    expect(suppressed.status).toBe(202);
    expect(suppressed.body).toMatchObject({
      outcome: 'suppressed',
      incidentId: null,
      incident: null,
      suppression: {
        reason: 'cart is in a maintenance window',
        suppressedBy: { kind: 'maintenance' },
      },
    });
    expect(suppressed.body.events.map((event: { type: string }) => event.type)).toEqual([
      'AlertSuppressed',
    ]);
    expect(opened.body.outcome).toBe('opened');
    const cart = await platform.http().get('/api/v1/incidents?service=cart').set(auth);
    expect(cart.body.data).toEqual([]);
  });
});
