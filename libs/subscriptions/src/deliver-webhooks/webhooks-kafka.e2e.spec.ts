import { randomUUID } from 'node:crypto';

import { EventStore } from '@observe/event-store';

import { startTestApp, TestApp } from '../testing/test-app';
import {
  always,
  eventually,
  failFirst,
  ReceivedWebhook,
  startWebhookReceiver,
  verifyWithStandardWebhooks,
  WebhookReceiver,
} from '../testing/webhook-receiver';

const kafka = process.env.TEST_KAFKA_BROKERS;

/**
 * The path end to end through the real Kafka broker: an alert opens
 * an incident, the relay produces incident.opened, the dispatcher group
 * plans and sends it, signed; retries, dead-lettering, resend and the
 * receiver's 410 and 429 answers. The schedule is three attempts 200 ms apart.
 */
(kafka ? describe : describe.skip)('webhooks through Kafka (e2e)', () => {
  let platform: TestApp;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    platform = await startTestApp({
      label: 'webhooks_kafka',
      environment: {
        KAFKA_BROKERS: kafka ?? '',
        KAFKA_TOPIC: `webhooks-e2e-${randomUUID().slice(0, 8)}`,
        WEBHOOK_RETRY_SCHEDULE: '0ms,200ms,200ms',
        WEBHOOK_TIMEOUT_MS: '3000',
      },
    });
    const auth = { Authorization: `Bearer ${platform.fullToken}` };
    await platform
      .http()
      .post('/api/v1/context/teams')
      .set(auth)
      .send({ id: 'commerce', name: 'Commerce', members: [] });
    await platform
      .http()
      .post('/api/v1/context/services')
      .set(auth)
      .send({ id: 'checkout', name: 'Checkout', ownerTeam: 'commerce', tier: 1 });
  });

  afterAll(async () => {
    await platform?.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  const asOperator = () => ({ Authorization: `Bearer ${platform.fullToken}` });

  async function receiverSubscribedTo(eventTypes: string[], answer = always(200)) {
    const receiver = await startWebhookReceiver(answer);
    receivers.push(receiver);
    const response = await platform
      .http()
      .post('/api/v1/subscriptions')
      .set(asOperator())
      .send({ url: receiver.url, eventTypes });
    expect(response.status).toBe(201);
    return { receiver, id: response.body.id as string, secret: response.body.secret as string };
  }

  async function alert(action: 'trigger' | 'acknowledge' | 'resolve', dedupKey: string) {
    const response = await platform.http().post('/api/v1/alerts').set(asOperator()).send({
      service: 'checkout',
      action,
      dedupKey,
      summary: 'Checkout 5xx rate above 5%',
      severity: 'critical',
      source: 'prometheus',
    });
    expect(response.status).toBe(202);
    return response.body as { incidentId: string };
  }

  async function openedWebhook(receiver: WebhookReceiver, incidentId: string, count = 1) {
    return eventually(() => {
      const matching = receiver.requests.filter(
        (webhook) =>
          webhook.event.type === 'incident.opened' && webhook.event.data.incidentId === incidentId,
      );
      return matching.length >= count ? matching : undefined;
    }, `${count} incident.opened requests for ${incidentId}`);
  }

  async function deliveryOf(subscriptionId: string, eventId: string) {
    const response = await platform
      .http()
      .get(`/api/v1/subscriptions/${subscriptionId}/deliveries`)
      .set(asOperator());
    return (response.body.data as Array<Record<string, unknown>>).find(
      (delivery) => delivery.eventId === eventId,
    );
  }

  it('pushes incident.opened, signed; after two 500s the third attempt succeeds', async () => {
    const { receiver, id, secret } = await receiverSubscribedTo(
      ['incident.opened'],
      failFirst(2, 500),
    );

    const { incidentId } = await alert('trigger', `cpu-${randomUUID()}`);
    const attempts = await openedWebhook(receiver, incidentId, 3);

    const [first] = attempts;
    if (!first) throw new Error('no webhook');
    expect(new Set(attempts.map((webhook) => webhook.webhookId)).size).toBe(1);
    for (const webhook of attempts) {
      expect(verifyWithStandardWebhooks(webhook, secret)).toMatchObject({
        id: first.webhookId,
        type: 'incident.opened',
        data: {
          incidentId,
          sequence: 1,
          service: 'checkout',
          severity: 'critical',
          links: { incident: `/api/v1/incidents/${incidentId}` },
        },
      });
    }
    const [opened] = await platform.app.get(EventStore).readStream(`incident-${incidentId}`);
    expect(first.webhookId).toBe(opened?.eventId);

    const delivery = await eventually(async () => {
      const found = await deliveryOf(id, first.webhookId);
      return found?.status === 'delivered' ? found : undefined;
    }, 'the delivery recorded as delivered');
    expect(delivery.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'failed',
        statusCode: 500,
        error: 'HTTP 500',
      }),
      expect.objectContaining({ attempt: 2, outcome: 'failed', statusCode: 500 }),
      expect.objectContaining({ attempt: 3, outcome: 'delivered', statusCode: 200, error: null }),
    ]);
  });

  it('dead-letters after the last attempt; a resend succeeds, same webhook-id', async () => {
    const { receiver, id, secret } = await receiverSubscribedTo(['incident.opened'], always(500));

    const { incidentId } = await alert('trigger', `disk-${randomUUID()}`);
    const [first] = await openedWebhook(receiver, incidentId, 3);
    if (!first) throw new Error('no webhook');
    const deadLettered = await eventually(async () => {
      const found = await deliveryOf(id, first.webhookId);
      return found?.status === 'dead_lettered' ? found : undefined;
    }, 'the delivery dead-lettered');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const beforeResend = receiver.requestsFor(first.webhookId).length;

    receiver.answer(always(200));
    const resent = await platform
      .http()
      .post(`/api/v1/subscriptions/${id}/deliveries/${String(deadLettered.id)}/resend`)
      .set(asOperator());
    const afterResend = await eventually(() => {
      const all = receiver.requestsFor(first.webhookId);
      return all.length > beforeResend ? all : undefined;
    }, 'the resent webhook');
    const delivered = await eventually(async () => {
      const found = await deliveryOf(id, first.webhookId);
      return found?.status === 'delivered' ? found : undefined;
    }, 'the resent delivery recorded');

    expect(deadLettered).toMatchObject({ attemptCount: 3, deadLetteredAt: expect.any(String) });
    expect(beforeResend).toBe(3);
    expect(resent.status).toBe(202);
    expect(resent.body.events[0].type).toBe('SubscriptionDeliveryResent');
    const last = afterResend[afterResend.length - 1] as ReceivedWebhook;
    expect(verifyWithStandardWebhooks(last, secret)).toMatchObject({ id: first.webhookId });
    expect(delivered).toMatchObject({ attemptCount: 4, deadLetteredAt: null });
  });

  it('recovers every dead-lettered delivery since a time', async () => {
    const since = new Date().toISOString();
    const { receiver, id } = await receiverSubscribedTo(['incident.opened'], always(503));
    const incidents = [
      await alert('trigger', `a-${randomUUID()}`),
      await alert('trigger', `b-${randomUUID()}`),
    ];
    await eventually(async () => {
      const page = await platform
        .http()
        .get(`/api/v1/subscriptions/${id}/deliveries?status=dead_lettered`)
        .set(asOperator());
      return page.body.data.length === 2;
    }, 'two dead-lettered deliveries');

    receiver.answer(always(204));
    const recovered = await platform
      .http()
      .post(`/api/v1/subscriptions/${id}/deliveries/recover`)
      .set(asOperator())
      .send({ since });

    expect(recovered.body).toMatchObject({
      recovered: 2,
      events: [{ type: 'SubscriptionDeliveriesRecovered' }],
    });
    const accepted = await eventually(
      () => (receiver.delivered().size >= 2 ? receiver.delivered() : undefined),
      'both recovered deliveries accepted',
    );
    const acceptedIncidents = receiver.requests
      .filter((webhook) => accepted.has(webhook.webhookId))
      .map((webhook) => webhook.event.data.incidentId);
    expect(new Set(acceptedIncidents)).toEqual(
      new Set(incidents.map((incident) => incident.incidentId)),
    );
  });

  it('disables the subscription, with an event, when the receiver answers 410', async () => {
    const { receiver, id } = await receiverSubscribedTo(['incident.opened'], always(410));

    const { incidentId } = await alert('trigger', `gone-${randomUUID()}`);
    await openedWebhook(receiver, incidentId);
    const disabled = await eventually(async () => {
      const view = await platform.http().get(`/api/v1/subscriptions/${id}`).set(asOperator());
      return view.body.status === 'disabled' ? view.body : undefined;
    }, 'the subscription disabled');
    const events = await platform.app.get(EventStore).readStream(`subscription-${id}`);

    expect(disabled).toMatchObject({ disabledReason: 'gone' });
    expect(events.map((event) => event.type)).toEqual([
      'SubscriptionCreated',
      'SubscriptionDisabled',
    ]);
    expect(events[1]?.metadata.actor).toMatchObject({ kind: 'system', name: 'webhook-dispatcher' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.requests).toHaveLength(1);
  });

  it('waits as long as a 429 asks with Retry-After', async () => {
    const { receiver } = await receiverSubscribedTo(['incident.opened'], (_webhook, nth) =>
      nth === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 },
    );

    const { incidentId } = await alert('trigger', `slow-${randomUUID()}`);
    const [first, second] = await openedWebhook(receiver, incidentId, 2);

    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('pushes the incident lifecycle in order of sequence to an incident.* subscriber', async () => {
    const { receiver } = await receiverSubscribedTo(['incident.*']);
    const dedupKey = `life-${randomUUID()}`;

    const { incidentId } = await alert('trigger', dedupKey);
    await alert('acknowledge', dedupKey);
    await alert('resolve', dedupKey);
    const lifecycle = ['incident.opened', 'incident.acknowledged', 'incident.resolved'];
    const received = await eventually(() => {
      const mine = receiver.requests.filter(
        (webhook) =>
          webhook.event.data.incidentId === incidentId && lifecycle.includes(webhook.event.type),
      );
      return mine.length >= 3 ? mine : undefined;
    }, 'opened, acknowledged and resolved');

    // Other incident.* events (the analyst's verdict) may fall in between; the order holds.
    const bySequence = [...received].sort(
      (a, b) => Number(a.event.data.sequence) - Number(b.event.data.sequence),
    );
    const sequences = bySequence.map((webhook) => Number(webhook.event.data.sequence));
    expect(bySequence.map((webhook) => webhook.event.type)).toEqual(lifecycle);
    expect(sequences[0]).toBe(1);
    expect(new Set(sequences).size).toBe(3);
  });
});
