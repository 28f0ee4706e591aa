import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import {
  CORRELATION_ID_HEADER,
  DEAD_LETTER_HEADERS,
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
} from '@observe/messaging';
import { encodeIntegrationEvent, IntegrationEvent } from '@observe/relay';

import { startTestApp, TestApp } from '../testing/test-app';
import { eventually, startWebhookReceiver, WebhookReceiver } from '../testing/webhook-receiver';

const topic = `plan-e2e-${randomUUID().slice(0, 8)}`;

function integrationEvent(type: string): IntegrationEvent {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    type,
    timestamp: now,
    data: { incidentId: randomUUID(), sequence: 1, occurredAt: now, links: {} },
  };
}

function onTheWire(event: IntegrationEvent): OutgoingMessage {
  return {
    key: 'incident-batch',
    value: encodeIntegrationEvent(event),
    headers: { [CORRELATION_ID_HEADER]: `corr-${event.id}` },
  };
}

/**
 * The dispatcher's consumer on the in-process bus, fed events straight on
 * its topic: a batch plans every event's deliveries, once, and a malformed
 * event among them is parked alone.
 */
describe('planning deliveries per batch (e2e, single process)', () => {
  let platform: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    platform = await startTestApp({
      label: 'plan_deliveries',
      environment: { KAFKA_BROKERS: '', KAFKA_TOPIC: topic, WEBHOOK_RETRY_SCHEDULE: '0ms,50ms' },
    });
    receiver = await startWebhookReceiver();
  });

  afterAll(async () => {
    await platform?.close();
    await receiver?.close();
  });

  async function subscribe(eventTypes: string[]): Promise<string> {
    const response = await platform
      .http()
      .post('/api/v1/subscriptions')
      .set({ Authorization: `Bearer ${platform.fullToken}` })
      .send({ url: receiver.url, eventTypes });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  it('plans each event of a batch once; a malformed one is dead-lettered alone', async () => {
    const family = await subscribe(['incident.*']);
    const paused = await subscribe(['incident.opened']);
    await platform
      .http()
      .post(`/api/v1/subscriptions/${paused}/pause`)
      .set({ Authorization: `Bearer ${platform.fullToken}` })
      .send({ reason: 'receiver maintenance' })
      .expect(200);
    const bus = platform.app.get(MessageBus);
    const parked: IncomingMessage[] = [];
    const deadLetters = await bus.subscribe({
      topic: `${topic}.webhook-dispatcher.dead-letter`,
      groupId: 'plan-e2e-inspector',
      fromBeginning: true,
      handle: async (message) => {
        parked.push(message);
        return 'done';
      },
    });
    const [first, second, resolved] = [
      integrationEvent('incident.opened'),
      integrationEvent('incident.opened'),
      integrationEvent('incident.resolved'),
    ];

    await bus.publish(topic, [
      onTheWire(first),
      { key: 'incident-batch', value: '{"not":"an event"}' },
      onTheWire(second),
      onTheWire(first),
      onTheWire(resolved),
    ]);
    await eventually(() => parked.length >= 1, 'the malformed event parked');
    await eventually(() => receiver.delivered().size >= 3, 'three webhooks');
    const rows: Array<{
      subscription_id: string;
      event_id: string;
      status: string;
      correlation_id: string;
    }> = await platform.app.get(DataSource).query(
      `SELECT subscription_id, event_id, status, correlation_id
             FROM subscriptions.deliveries WHERE event_id = ANY($1::text[])
            ORDER BY created_at, event_id`,
      [[first.id, second.id, resolved.id]],
    );
    await deadLetters.stop();

    const planned = rows.map((row) => `${row.subscription_id}/${row.event_id}`).sort();
    expect(planned).toEqual(
      [
        `${family}/${first.id}`,
        `${family}/${second.id}`,
        `${family}/${resolved.id}`,
        `${paused}/${first.id}`,
        `${paused}/${second.id}`,
      ].sort(),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        subscription_id: paused,
        event_id: first.id,
        status: 'held',
        correlation_id: `corr-${first.id}`,
      }),
    );
    expect([...receiver.delivered()].sort()).toEqual([first.id, second.id, resolved.id].sort());
    expect(parked.map((message) => message.value.toString('utf8'))).toEqual(['{"not":"an event"}']);
    expect(parked[0].headers[DEAD_LETTER_HEADERS.reason]).toMatch(/not an integration event/);
  });
});
