import { randomUUID } from 'node:crypto';

import { sleep } from '@observe/core';

import { DedicatedKafka, startDedicatedKafka } from '../../../../test/support/kafka';
import { appendIncidentOpened, OpenedIncident } from '../testing/incident-events';
import { startTestApp, TestApp } from '../testing/test-app';
import { eventually, startWebhookReceiver, WebhookReceiver } from '../testing/webhook-receiver';

const runs = process.env.OBSERVE_TEST_KAFKA !== 'off';
const BURST = 500;

/**
 * The broker dies in the middle of a burst and comes back: the relay keeps
 * its checkpoint until Kafka acknowledges, the dispatchers resume from their
 * committed offsets, and every subscriber ends up with every event.
 */
(runs ? describe : describe.skip)('webhooks through a Kafka outage (e2e)', () => {
  let broker: DedicatedKafka;
  let platform: TestApp;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    broker = await startDedicatedKafka();
    platform = await startTestApp({
      label: 'webhooks_outage',
      environment: {
        KAFKA_BROKERS: broker.brokers,
        KAFKA_TOPIC: `outage-e2e-${randomUUID().slice(0, 8)}`,
        WEBHOOK_RETRY_SCHEDULE: '0ms,500ms,1s,2s',
      },
    });
  });

  afterAll(async () => {
    await platform?.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await broker?.destroy();
  });

  it(`delivers all ${BURST} incidents to each subscriber though the broker dies`, async () => {
    for (const eventTypes of [['incident.opened'], ['incident.*']]) {
      const receiver = await startWebhookReceiver();
      receivers.push(receiver);
      await platform
        .http()
        .post('/api/v1/subscriptions')
        .set({ Authorization: `Bearer ${platform.fullToken}` })
        .send({ url: receiver.url, eventTypes })
        .expect(201);
    }
    const opened: OpenedIncident[] = [];
    const delivered = (receiver: WebhookReceiver) => receiver.delivered('incident.opened');
    const burst = async (count: number) => {
      for (let index = 0; index < count; index += 1)
        opened.push(await appendIncidentOpened(platform.app));
    };

    await burst(BURST / 2);
    await eventually(
      () => receivers.every((receiver) => delivered(receiver).size >= 50),
      'the first webhooks',
    );
    await broker.stop();
    await burst(BURST / 2);
    await sleep(5_000);
    const duringOutage = Math.min(...receivers.map((receiver) => delivered(receiver).size));
    await broker.start();
    await eventually(
      () => receivers.every((receiver) => delivered(receiver).size >= BURST),
      `${BURST} incident.opened webhooks at each subscriber`,
      120_000,
    );

    const expected = new Set(opened.map((incident) => incident.eventId));
    expect(duringOutage).toBeLessThan(BURST);
    for (const receiver of receivers) expect(delivered(receiver)).toEqual(expected);
  });
});
