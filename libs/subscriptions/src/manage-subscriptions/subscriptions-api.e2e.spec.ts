import { EventStore } from '@observe/event-store';

import { startTestApp, TestApp } from '../testing/test-app';
import { appendIncidentOpened } from '../testing/incident-events';
import {
  always,
  eventually,
  startWebhookReceiver,
  verifyWithStandardWebhooks,
  WebhookReceiver,
} from '../testing/webhook-receiver';

/**
 * The subscriptions API in single-process mode: every role in one process,
 * the relay and the dispatcher on the in-process bus (no KAFKA_BROKERS).
 */
describe('subscriptions API, single process (e2e)', () => {
  let platform: TestApp;
  let receiver: WebhookReceiver;
  let agent: string;

  beforeAll(async () => {
    platform = await startTestApp({
      label: 'subscriptions_api',
      environment: { KAFKA_BROKERS: '', WEBHOOK_RETRY_SCHEDULE: '0ms,50ms,50ms' },
    });
    receiver = await startWebhookReceiver();
    agent = (await platform.mintToken(['subscriptions:read', 'subscriptions:write'])).token;
  });

  afterAll(async () => {
    await platform?.close();
    await receiver?.close();
  });

  const asOperator = () => ({ Authorization: `Bearer ${platform.fullToken}` });
  const asAgent = (key: string) => ({ Authorization: `Bearer ${agent}`, 'Idempotency-Key': key });

  async function subscribe(eventTypes = ['incident.opened'], url = receiver.url) {
    const response = await platform
      .http()
      .post('/api/v1/subscriptions')
      .set(asOperator())
      .send({ url, eventTypes, description: 'e2e' });
    expect(response.status).toBe(201);
    return response.body as { id: string; secret: string; url: string };
  }

  it('creates a subscription: the secret once, the event without it', async () => {
    const response = await platform
      .http()
      .post('/api/v1/subscriptions')
      .set(asAgent('create-1'))
      .send({
        url: receiver.url,
        eventTypes: ['incident.*', 'incident.opened'],
        description: 'pager',
      });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      url: receiver.url,
      eventTypes: ['incident.*', 'incident.opened'],
      status: 'active',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      events: [expect.objectContaining({ type: 'SubscriptionCreated' })],
    });
    const stored = await platform.app
      .get(EventStore)
      .readStream(`subscription-${response.body.id}`);
    expect(JSON.stringify(stored)).not.toContain(response.body.secret.slice(6));
    expect(stored[0]?.data.encryptedSecret).toMatch(/^v1:[0-9a-f]{8}:/);

    const replay = await platform
      .http()
      .post('/api/v1/subscriptions')
      .set(asAgent('create-1'))
      .send({
        url: receiver.url,
        eventTypes: ['incident.*', 'incident.opened'],
        description: 'pager',
      });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.secret).toBe('[redacted]');
  });

  it('redacts URLs for scoped tokens and shows them to full tokens', async () => {
    const { id } = await subscribe();

    const scoped = await platform.http().get(`/api/v1/subscriptions/${id}`).set(asAgent('unused'));
    const full = await platform.http().get(`/api/v1/subscriptions/${id}`).set(asOperator());
    const list = await platform
      .http()
      .get('/api/v1/subscriptions?limit=200')
      .set(asAgent('unused'));

    expect(scoped.body.url).toBe('[redacted]');
    expect(full.body.url).toBe(receiver.url);
    expect(list.body.data.every((view: { url: string }) => view.url === '[redacted]')).toBe(true);
    expect(JSON.stringify([scoped.body, full.body, list.body])).not.toMatch(
      /whsec_|v1:[0-9a-f]{8}:/,
    );
  });

  it('never lets a scoped token read or rotate secrets, or delete', async () => {
    const { id } = await subscribe();

    const read = await platform.http().get(`/api/v1/subscriptions/${id}/secret`).set(asAgent('s1'));
    const rotate = await platform
      .http()
      .post(`/api/v1/subscriptions/${id}/rotate-secret`)
      .set(asAgent('s2'))
      .send({});
    const remove = await platform.http().delete(`/api/v1/subscriptions/${id}`).set(asAgent('s3'));

    expect([read.status, rotate.status, remove.status]).toEqual([403, 403, 403]);
    expect(read.body.type).toBe('/problems/full-token-required');
  });

  it('refuses unknown event types, naming the known ones', async () => {
    const response = await platform
      .http()
      .post('/api/v1/subscriptions')
      .set(asOperator())
      .send({ url: receiver.url, eventTypes: ['incident.exploded'] });

    expect(response.status).toBe(400);
    expect(response.body.detail).toContain('incident.exploded');
    expect(response.body.knownEventTypes).toContain('incident.opened');
  });

  it('lists the event types a subscription can take', async () => {
    const response = await platform
      .http()
      .get('/api/v1/subscriptions/event-types')
      .set(asAgent('x'));

    expect(response.status).toBe(200);
    expect(response.body.data.map((info: { type: string }) => info.type)).toEqual(
      expect.arrayContaining([
        'incident.opened',
        'incident.acknowledged',
        'incident.resolved',
        'incident.updated',
        'incident.escalated',
        'detection.triggered',
        'ai-agent.spend_spiked',
      ]),
    );
  });

  it('delivers an incident.opened through the in-process bus, signed', async () => {
    // A receiver of its own: earlier subscriptions take incident.opened too.
    const own = await startWebhookReceiver();
    try {
      const { id, secret } = await subscribe(['incident.opened'], own.url);
      const opened = await appendIncidentOpened(platform.app);

      const webhook = await eventually(
        () => own.requestsFor(opened.eventId)[0],
        'incident.opened at the receiver',
      );

      expect(verifyWithStandardWebhooks(webhook, secret)).toMatchObject({
        id: opened.eventId,
        type: 'incident.opened',
        data: { incidentId: opened.incidentId, sequence: 1, service: 'checkout' },
      });
      // The receiver may hear of it before the attempt is recorded, and it stays
      // open until then: closed sooner, it could drop its answer to the attempt.
      const delivery = await eventually(async () => {
        const page = await platform
          .http()
          .get(`/api/v1/subscriptions/${id}/deliveries`)
          .set(asAgent('x'));
        return page.body.data[0]?.status === 'delivered' ? page.body.data[0] : undefined;
      }, 'the delivery recorded');
      expect(delivery).toMatchObject({ eventId: opened.eventId, attemptCount: 1 });
    } finally {
      await own.close();
    }
  });

  it('sends a test event on demand', async () => {
    const { id, secret } = await subscribe(['incident.resolved']);

    const response = await platform
      .http()
      .post(`/api/v1/subscriptions/${id}/test`)
      .set(asAgent('t1'));
    const webhook = await eventually(
      () => receiver.requestsFor(response.body.eventId)[0],
      'the test event',
    );

    expect(response.status).toBe(202);
    expect(response.body.events[0].type).toBe('SubscriptionTestEventRequested');
    expect(verifyWithStandardWebhooks(webhook, secret)).toMatchObject({
      type: 'webhook.test',
      data: { subscriptionId: id },
    });
  });

  it('signs with the old and the new secret during a rotation overlap', async () => {
    const { id, secret: oldSecret } = await subscribe(['incident.opened']);

    const rotated = await platform
      .http()
      .post(`/api/v1/subscriptions/${id}/rotate-secret`)
      .set(asOperator())
      .send({ overlapHours: 24 });
    const test = await platform.http().post(`/api/v1/subscriptions/${id}/test`).set(asOperator());
    const webhook = await eventually(
      () => receiver.requestsFor(test.body.eventId)[0],
      'a signed test',
    );

    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(oldSecret);
    expect(rotated.body.previousSecretExpiresAt).not.toBeNull();
    expect(String(webhook.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => verifyWithStandardWebhooks(webhook, oldSecret)).not.toThrow();
    expect(() => verifyWithStandardWebhooks(webhook, rotated.body.secret)).not.toThrow();

    const secrets = await platform
      .http()
      .get(`/api/v1/subscriptions/${id}/secret`)
      .set(asOperator());
    expect(secrets.body).toMatchObject({ current: rotated.body.secret, previous: oldSecret });
  });

  it('holds deliveries while paused and sends them on resume', async () => {
    const { id } = await subscribe(['incident.opened']);

    const paused = await platform
      .http()
      .post(`/api/v1/subscriptions/${id}/pause`)
      .set(asAgent('p1'))
      .send({ reason: 'receiver maintenance' });
    const test = await platform.http().post(`/api/v1/subscriptions/${id}/test`).set(asAgent('p2'));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const whilePaused = receiver.requestsFor(test.body.eventId).length;
    const resumed = await platform
      .http()
      .post(`/api/v1/subscriptions/${id}/resume`)
      .set(asAgent('p3'));
    await eventually(() => receiver.requestsFor(test.body.eventId)[0], 'the held test event');

    expect(paused.body).toMatchObject({ status: 'paused', url: '[redacted]' });
    expect(test.body.status).toBe('held');
    expect(whilePaused).toBe(0);
    expect(resumed.body.status).toBe('active');
  });

  it('deletes a subscription (full token), which then does not exist', async () => {
    const { id } = await subscribe();

    const deleted = await platform.http().delete(`/api/v1/subscriptions/${id}`).set(asOperator());
    const read = await platform.http().get(`/api/v1/subscriptions/${id}`).set(asOperator());

    expect(deleted.body).toMatchObject({ id, deleted: true });
    expect(read.status).toBe(404);
  });

  it('keeps secrets and URLs out of the audit trail', async () => {
    const { secret } = await subscribe(
      ['incident.opened'],
      `${receiver.url}&token=embedded-credential`,
    );

    const audit = await platform.http().get('/api/v1/audit?limit=200').set(asOperator());

    expect(audit.status).toBe(200);
    const text = JSON.stringify(audit.body);
    expect(text).toContain('SubscriptionCreated');
    expect(text).not.toContain('embedded-credential');
    expect(text).not.toContain(secret.slice(6));
    expect(text).not.toMatch(/v1:[0-9a-f]{8}:/);
  });

  it('answers 404 for a subscription that does not exist and 400 for a malformed id', async () => {
    const missing = await platform
      .http()
      .get('/api/v1/subscriptions/00000000-0000-4000-8000-000000000000')
      .set(asOperator());
    const malformed = await platform.http().get('/api/v1/subscriptions/nope').set(asOperator());

    expect(missing.status).toBe(404);
    expect(malformed.status).toBe(400);
    receiver.answer(always(200));
  });
});
