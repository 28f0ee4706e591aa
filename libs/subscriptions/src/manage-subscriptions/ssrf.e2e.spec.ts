import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { appendIncidentOpened } from '../testing/incident-events';
import { startTestApp, TestApp } from '../testing/test-app';
import { eventually, startWebhookReceiver, WebhookReceiver } from '../testing/webhook-receiver';

const kafka = process.env.TEST_KAFKA_BROKERS;

const INTERNAL_TARGETS = [
  { url: 'http://127.0.0.1:9/hook', addressClass: 'loopback' },
  { url: 'http://10.0.0.1/hook', addressClass: 'private' },
  { url: 'http://169.254.169.254/latest/meta-data/', addressClass: 'cloud-metadata' },
  { url: 'http://[::1]:9/hook', addressClass: 'loopback' },
  // A hostname is judged by every address it resolves to: here, loopback ones.
  { url: 'http://localhost:9/hook', addressClass: 'loopback' },
];

/**
 * SSRF: webhook targets inside our network are refused when registered and
 * again at each connection, unless the operator allow-listed their range.
 * `registrar` allow-lists them (as tests usually do); `guarded`, on the same
 * data, allows nothing and runs the only dispatcher.
 */
(kafka ? describe : describe.skip)('SSRF guard on subscriptions and deliveries (e2e)', () => {
  let registrar: TestApp;
  let guarded: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    const shared = {
      KAFKA_BROKERS: kafka ?? '',
      KAFKA_TOPIC: `ssrf-e2e-${randomUUID().slice(0, 8)}`,
      WEBHOOK_RETRY_SCHEDULE: '0ms,50ms',
    };
    registrar = await startTestApp({
      label: 'ssrf',
      roles: ['api', 'projector', 'relay'],
      environment: {
        ...shared,
        WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128,10.0.0.0/8,169.254.0.0/16',
      },
    });
    guarded = await startTestApp({
      label: 'ssrf',
      databaseUrl: registrar.databaseUrl,
      roles: ['api', 'dispatcher'],
      environment: { ...shared, WEBHOOK_ALLOWED_CIDRS: '' },
    });
    receiver = await startWebhookReceiver();
  });

  afterAll(async () => {
    await guarded?.close();
    await registrar?.close();
    await receiver?.close();
  });

  const subscribe = (app: TestApp, url: string) =>
    app
      .http()
      .post('/api/v1/subscriptions')
      .set({ Authorization: `Bearer ${app.fullToken}` })
      .send({ url, eventTypes: ['incident.opened'] });

  it.each(INTERNAL_TARGETS)(
    'refuses to register $url unless allow-listed',
    async ({ url, addressClass }) => {
      const refused = await subscribe(guarded, url);

      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        type: '/problems/validation-error',
        reason: 'address',
        addressClass,
        errors: [{ field: 'url', message: expect.stringContaining('WEBHOOK_ALLOWED_CIDRS') }],
      });
    },
  );

  it('accepts the same targets where the operator allow-listed their ranges', async () => {
    const answers = await Promise.all(INTERNAL_TARGETS.map(({ url }) => subscribe(registrar, url)));

    expect(answers.map((answer) => answer.status)).toEqual(INTERNAL_TARGETS.map(() => 201));
  });

  it('refuses every delivery to them when connecting, where nothing is allow-listed', async () => {
    await subscribe(registrar, receiver.url).expect(201);
    const opened = await appendIncidentOpened(registrar.app);
    const database = registrar.app.get(DataSource);

    const attempts: Array<{ url: string; error_kind: string; status_code: number | null }> =
      await eventually(async () => {
        const rows = await database.query(
          `SELECT s.url, a.error_kind, a.status_code
             FROM subscriptions.delivery_attempts a
             JOIN subscriptions.subscriptions s ON s.id = a.subscription_id
             JOIN subscriptions.deliveries d ON d.id = a.delivery_id
            WHERE d.event_id = $1`,
          [opened.eventId],
        );
        const dead = await database.query(
          `SELECT count(*)::int AS n FROM subscriptions.deliveries
            WHERE event_id = $1 AND status = 'dead_lettered'`,
          [opened.eventId],
        );
        return dead[0].n === INTERNAL_TARGETS.length + 1 ? rows : undefined;
      }, 'every delivery dead-lettered');

    expect(new Set(attempts.map((attempt) => attempt.url))).toEqual(
      new Set([...INTERNAL_TARGETS.map(({ url }) => url), receiver.url]),
    );
    expect(
      attempts.every((attempt) => attempt.error_kind === 'refused' && attempt.status_code === null),
    ).toBe(true);
    expect(receiver.requests).toHaveLength(0);
  });
});
