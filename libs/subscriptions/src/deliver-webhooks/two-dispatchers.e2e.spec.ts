import { randomUUID } from 'node:crypto';

import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';

import { EventStore } from '@observe/event-store';
import { KafkaMessageBus } from '@observe/messaging';
import { encodeIntegrationEvent, IntegrationEventRegistry, linkBuilder } from '@observe/relay';

import { appendIncidentOpened } from '../testing/incident-events';
import { startTestApp, TestApp } from '../testing/test-app';
import { eventually, startWebhookReceiver, WebhookReceiver } from '../testing/webhook-receiver';

const kafka = process.env.TEST_KAFKA_BROKERS;
const BURST = 300;

/**
 * Two dispatcher processes on one database and one consumer group: they
 * share the partitions and the delivery table, and no webhook goes out
 * twice. Events the relay (or Kafka) delivers twice plan nothing new.
 */
(kafka ? describe : describe.skip)('two dispatchers (e2e)', () => {
  const topic = `dispatchers-e2e-${randomUUID().slice(0, 8)}`;
  let first: TestApp;
  let second: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    const environment = {
      KAFKA_BROKERS: kafka ?? '',
      KAFKA_TOPIC: topic,
      WEBHOOK_RETRY_SCHEDULE: '0ms,1s',
    };
    first = await startTestApp({ label: 'two_dispatchers', environment });
    second = await startTestApp({
      label: 'two_dispatchers',
      databaseUrl: first.databaseUrl,
      roles: ['api', 'dispatcher'],
      environment,
    });
    // A receiver that takes a little time, so both dispatchers have work in flight at once.
    receiver = await startWebhookReceiver(() => ({ status: 200, delayMs: 10 }));
    await groupMembers(`${topic}.webhook-dispatcher`, 2);
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
    await receiver?.close();
  });

  it(`sends each of ${BURST} webhooks once, the work shared by both`, async () => {
    const response = await first
      .http()
      .post('/api/v1/subscriptions')
      .set({ Authorization: `Bearer ${first.fullToken}` })
      .send({ url: receiver.url, eventTypes: ['incident.opened'] });
    const subscriptionId: string = response.body.id;

    const opened = [];
    for (let index = 0; index < BURST; index += 1)
      opened.push(await appendIncidentOpened(first.app));
    await eventually(
      () => receiver.delivered().size >= BURST,
      `${BURST} webhooks; got ${receiver.delivered().size}`,
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const perId = countBy(receiver.requests.map((webhook) => webhook.webhookId));
    expect(new Set(perId.keys())).toEqual(new Set(opened.map((incident) => incident.eventId)));
    expect([...perId.values()].every((count) => count === 1)).toBe(true);
    // Attempts are recorded just after they are answered.
    const workers = await eventually(async () => {
      const rows: Array<{ worker: string; attempts: number }> = await first.app
        .get(DataSource)
        .query(
          `SELECT worker, count(*)::int AS attempts FROM subscriptions.delivery_attempts
            WHERE subscription_id = $1 GROUP BY worker`,
          [subscriptionId],
        );
      return rows.reduce((sum, row) => sum + row.attempts, 0) >= BURST ? rows : undefined;
    }, 'every attempt recorded');
    expect(workers).toHaveLength(2);
    expect(workers.reduce((sum, row) => sum + row.attempts, 0)).toBe(BURST);
  });

  it('plans nothing new when every event comes through Kafka again', async () => {
    const before = receiver.requests.length;
    const events = await first.app
      .get(EventStore)
      .readAll({ filter: { eventTypes: ['IncidentOpened'] } });
    const registry = new IntegrationEventRegistry();
    const messages = events.events.flatMap((event) => {
      const mapped = registry.map(event, linkBuilder());
      return mapped ? [{ key: event.streamId, value: encodeIntegrationEvent(mapped) }] : [];
    });
    const bus = new KafkaMessageBus({ brokers: [kafka ?? ''], clientId: 'replayer' });

    await bus.publish(topic, messages);
    await bus.close();
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const [{ deliveries }] = await first.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS deliveries FROM subscriptions.deliveries`);
    expect(messages.length).toBeGreaterThanOrEqual(BURST);
    expect(deliveries).toBe(BURST);
    expect(receiver.requests.length).toBe(before);
  });
});

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Waits until the consumer group has settled with `count` members. */
async function groupMembers(groupId: string, count: number): Promise<void> {
  const admin = new Kafka({
    brokers: [kafka ?? ''],
    clientId: 'group-probe',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await eventually(async () => {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      return group?.state === 'Stable' && group.members.length === count;
    }, `${count} members in ${groupId}`);
  } finally {
    await admin.disconnect();
  }
}
