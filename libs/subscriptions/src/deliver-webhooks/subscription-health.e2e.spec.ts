import { ManualClock } from '@observe/core';
import { EventStore } from '@observe/event-store';

import { startTestApp, TestApp } from '../testing/test-app';
import {
  always,
  eventually,
  startWebhookReceiver,
  WebhookReceiver,
} from '../testing/webhook-receiver';

const HOUR = 3_600_000;

/**
 * A subscription whose receiver fails for WEBHOOK_DISABLE_AFTER_HOURS (one
 * hour here) is disabled, with an event; resuming starts the clock over, and
 * one success clears it. Time moves by hand; the dispatcher runs in process.
 */
describe('subscription health (e2e)', () => {
  const clock = new ManualClock(new Date());
  let platform: TestApp;
  let receiver: WebhookReceiver;
  let subscriptionId: string;

  beforeAll(async () => {
    platform = await startTestApp({
      label: 'subscription_health',
      clock,
      environment: {
        KAFKA_BROKERS: '',
        WEBHOOK_DISABLE_AFTER_HOURS: '1',
        WEBHOOK_RETRY_SCHEDULE: '0ms,1h,1h,1h,1h',
      },
    });
    receiver = await startWebhookReceiver(always(500));
    const created = await platform
      .http()
      .post('/api/v1/subscriptions')
      .set(asOperator())
      .send({ url: receiver.url, eventTypes: ['incident.opened'] });
    subscriptionId = created.body.id;
  });

  afterAll(async () => {
    await platform?.close();
    await receiver?.close();
  });

  const asOperator = () => ({ Authorization: `Bearer ${platform?.fullToken}` });
  const view = async () =>
    (await platform.http().get(`/api/v1/subscriptions/${subscriptionId}`).set(asOperator())).body;
  const requestsAfter = (count: number, what: string) =>
    eventually(() => receiver.requests.length >= count, what);

  it('is disabled, with an event, once it has failed for the configured hours', async () => {
    const startedFailing = clock.now().toISOString();
    await platform.http().post(`/api/v1/subscriptions/${subscriptionId}/test`).set(asOperator());
    await requestsAfter(1, 'the first attempt');
    const failing = await eventually(async () => {
      const current = await view();
      return current.failingSince ? current : undefined;
    }, 'failingSince set');

    clock.advance(1.2 * HOUR); // past the hour and its 10% jitter
    await requestsAfter(2, 'the attempt an hour later');
    const disabled = await eventually(async () => {
      const current = await view();
      return current.status === 'disabled' ? current : undefined;
    }, 'the subscription disabled');
    const events = await platform.app.get(EventStore).readStream(`subscription-${subscriptionId}`);

    expect(failing).toMatchObject({ status: 'active', failingSince: startedFailing });
    expect(disabled).toMatchObject({ disabledReason: 'failing', failingSince: startedFailing });
    expect(events.map((event) => event.type)).toContain('SubscriptionDisabled');
    expect(events.find((event) => event.type === 'SubscriptionDisabled')?.data).toMatchObject({
      reason: 'failing',
      failingSince: startedFailing,
    });
  });

  it('holds deliveries while disabled; resuming sends them and resets the clock', async () => {
    clock.advance(1.2 * HOUR); // past the hour and its 10% jitter
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const whileDisabled = receiver.requests.length;

    receiver.answer(always(200));
    const resumed = await platform
      .http()
      .post(`/api/v1/subscriptions/${subscriptionId}/resume`)
      .set(asOperator());
    await requestsAfter(whileDisabled + 1, 'the held delivery after resume');
    const healthy = await eventually(async () => {
      const current = await view();
      return current.failingSince === null && current.status === 'active' ? current : undefined;
    }, 'failingSince cleared');

    expect(whileDisabled).toBe(2);
    expect(resumed.body).toMatchObject({
      status: 'active',
      disabledReason: null,
      failingSince: null,
    });
    expect(healthy.disabledAt).toBeNull();
  });
});
