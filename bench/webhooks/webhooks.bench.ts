import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

import { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CommandContexts } from '@observe/commands';
import { Environment, loadEnvironment } from '@observe/config';
import { EventStore, NewEvent } from '@observe/event-store';
import { PinoLogger } from '@observe/observability';
import { encodeIntegrationEvent, IntegrationEvent } from '@observe/relay';
import { bootstrapPlatform, Role, RuntimeModule } from '@observe/runtime';
import {
  DeliveryNotifier,
  generateWebhookSecret,
  SsrfGuard,
  SubscriptionCommands,
  WebhookClient,
  webhookHeaders,
  webhookModules,
} from '@observe/subscriptions';

import { openBenchDatabase, percentile } from '../support/bench-database';
import { openBenchKafka } from './bench-kafka';
import { BenchReceiver } from './bench-receiver';

/**
 * Webhooks end to end on real Kafka and PostgreSQL, in one process:
 * 1. latency from the commit of IncidentOpened to the webhook's arrival at a
 *    local receiver, at a steady 100 incidents/s;
 * 2. the dispatcher's delivery throughput to that receiver beside a bare
 *    HTTP POST loop to it with the same concurrency (16, the dispatcher's
 *    per-subscription limit); for reference, the signing WebhookClient alone
 *    in the same loop (no database), and the end-to-end throughput of a burst.
 */
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 10_000);
/** Each throughput is measured this many times, alternating, and the best kept. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BURST = Number(process.env.BENCH_BURST ?? 3_000);
const CONCURRENCY = 16;
const ROLES: Role[] = ['projector', 'relay', 'dispatcher'];

interface Platform {
  app: INestApplicationContext;
  store: EventStore;
}

function incidentOpened(): { streamId: string; event: NewEvent } {
  const incidentId = randomUUID();
  const now = new Date().toISOString();
  return {
    streamId: `incident-${incidentId}`,
    event: {
      eventId: randomUUID(),
      type: 'IncidentOpened',
      schemaVersion: 1,
      data: {
        incidentId,
        sequence: 1,
        service: 'checkout',
        at: now,
        kind: 'incident',
        title: 'Checkout error rate above 5%',
        summary: null,
        severity: 'error',
        origin: 'alert',
        dedupKey: `bench-${incidentId}`,
        fingerprint: 'f00dfeedf00dfeed',
        source: 'bench',
        links: [],
        details: null,
      },
      metadata: {
        actor: { kind: 'system', name: 'bench' },
        correlationId: randomUUID(),
        occurredAt: now,
      },
    },
  };
}

/** Appends one IncidentOpened; resolves with its id once committed. */
async function open(store: EventStore): Promise<string> {
  const { streamId, event } = incidentOpened();
  await store.append(streamId, [event], { expectedRevision: 'no_stream' });
  return event.eventId;
}

/** The webhook modules, unless the runtime already composes them for these roles. */
function notYetComposed(environment: Environment): DynamicModule[] {
  const roles = new Set(ROLES);
  const composed = new Set(
    (RuntimeModule.forRoot({ environment, roles }).imports ?? []).map((entry) =>
      typeof entry === 'object' && entry !== null && 'module' in entry
        ? entry.module
        : (entry as Type<unknown>),
    ),
  );
  return webhookModules(roles, 'kafka').filter((candidate) => !composed.has(candidate.module));
}

async function latencyAtSteadyRate(platform: Platform, receiver: BenchReceiver): Promise<number[]> {
  const committedAt = new Map<string, number>();
  const total = RATE * SECONDS;
  const intervalMs = 1_000 / RATE;
  const appends: Array<Promise<void>> = [];
  const started = performance.now();

  for (let index = 0; index < total; index += 1) {
    const due = started + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    appends.push(
      open(platform.store).then((eventId) => {
        committedAt.set(eventId, performance.now());
      }),
    );
  }
  await Promise.all(appends);
  await receiver.waitFor(new Set(committedAt.keys()), 60_000);

  return [...committedAt]
    .map(([eventId, at]) => (receiver.arrivals.get(eventId) ?? at) - at)
    .sort((a, b) => a - b);
}

/** Plans deliveries at once, as the consumer would, and times the dispatcher sending them. */
async function dispatcherThroughput(
  platform: Platform,
  receiver: BenchReceiver,
  subscriptionId: string,
): Promise<number> {
  const events: IntegrationEvent[] = Array.from({ length: DELIVERIES }, () => {
    const id = randomUUID();
    const now = new Date().toISOString();
    return {
      id,
      type: 'incident.opened',
      timestamp: now,
      data: {
        incidentId: randomUUID(),
        service: 'checkout',
        sequence: 1,
        occurredAt: now,
        links: {},
      },
    };
  });
  await platform.app.get(DataSource).query(
    `INSERT INTO subscriptions.deliveries
       (id, subscription_id, event_id, event_type, payload, status, next_attempt_at,
        created_at, updated_at)
     SELECT gen_random_uuid(), $1, e.id, 'incident.opened', e.payload, 'pending',
            now(), now(), now()
       FROM unnest($2::text[], $3::text[]) AS e(id, payload)`,
    [subscriptionId, events.map((event) => event.id), events.map(encodeIntegrationEvent)],
  );

  const started = performance.now();
  platform.app.get(DeliveryNotifier).notify();
  await receiver.waitFor(new Set(events.map((event) => event.id)), 120_000);
  return (DELIVERIES / (performance.now() - started)) * 1_000;
}

/** The same receiver, the same body size, the same concurrency, nothing else. */
async function barePostThroughput(receiver: BenchReceiver, body: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request(
        receiver.url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'webhook-id': `bare-${index}` },
        },
        (response) => {
          response.resume();
          response.on('end', resolve);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < DELIVERIES) await post(next++);
    }),
  );
  const rate = (DELIVERIES / (performance.now() - started)) * 1_000;
  agent.destroy();
  return rate;
}

/** The delivery primitive alone: sign and send through WebhookClient, nothing recorded. */
async function clientOnlyThroughput(receiver: BenchReceiver, body: string): Promise<number> {
  const client = new WebhookClient({
    guard: new SsrfGuard(['127.0.0.0/8']),
    maxSocketsPerOrigin: CONCURRENCY,
  });
  const secret = generateWebhookSecret();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < DELIVERIES) {
        const id = `client-${next++}`;
        const timestamp = Math.floor(Date.now() / 1_000);
        const headers = { ...webhookHeaders({ id, timestamp, body, secrets: [secret] }) };
        await client.deliver({ url: receiver.url, body, headers });
      }
    }),
  );
  const rate = (DELIVERIES / (performance.now() - started)) * 1_000;
  client.close();
  return rate;
}

async function burstThroughput(platform: Platform, receiver: BenchReceiver): Promise<number> {
  const ids: string[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < BURST) ids.push(await open(platform.store));
    }),
  );
  await receiver.waitFor(new Set(ids), 120_000);
  return (BURST / (performance.now() - started)) * 1_000;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;

async function main(): Promise<void> {
  const database = await openBenchDatabase(55_497);
  const kafka = await openBenchKafka();
  const receiver = new BenchReceiver();
  await receiver.start();

  const environment = loadEnvironment({
    ...process.env,
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_TOPIC: `bench-webhooks-${randomUUID().slice(0, 8)}`,
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
    BOOTSTRAP_TOKEN: 'off',
    LOG_LEVEL: 'error',
  });
  const started = await bootstrapPlatform({
    roles: ROLES,
    environment,
    logger: new PinoLogger('error'),
    extraModules: notYetComposed(environment),
  });
  const platform: Platform = { app: started.app, store: started.app.get(EventStore) };
  const subscription = await CommandContexts.run(CommandContexts.system('bench'), () =>
    started.app
      .get(SubscriptionCommands)
      .create({ url: receiver.url, eventTypes: ['incident.opened'] }),
  );

  // Warm up: connections, the consumer group, the JIT.
  const warmUp = await Promise.all(Array.from({ length: 200 }, () => open(platform.store)));
  await receiver.waitFor(new Set(warmUp), 60_000);

  const latencies = await latencyAtSteadyRate(platform, receiver);
  const sample = encodeIntegrationEvent({
    id: randomUUID(),
    type: 'incident.opened',
    timestamp: new Date().toISOString(),
    data: {
      incidentId: randomUUID(),
      service: 'checkout',
      sequence: 1,
      occurredAt: new Date().toISOString(),
      links: {},
    },
  });
  let [dispatched, bare, clientOnly] = [0, 0, 0];
  for (let round = 0; round < ROUNDS; round += 1) {
    dispatched = Math.max(
      dispatched,
      await dispatcherThroughput(platform, receiver, subscription.id),
    );
    bare = Math.max(bare, await barePostThroughput(receiver, sample));
    clientOnly = Math.max(clientOnly, await clientOnlyThroughput(receiver, sample));
  }
  const burst = await burstThroughput(platform, receiver);

  const p99 = percentile(latencies, 99);
  const ratio = dispatched / bare;
  const row = (label: string, text: string) => console.log(`${label.padEnd(32)} ${text}`);
  console.log(`webhooks benchmark (Kafka ${kafka.brokers}, one process)`);
  row(
    'commit -> webhook',
    `${latencies.length} incidents at ${RATE}/s: p50 ${ms(percentile(latencies, 50))}, ` +
      `p90 ${ms(percentile(latencies, 90))}, p99 ${ms(p99)}, ` +
      `max ${ms(latencies[latencies.length - 1] ?? 0)} ` +
      `(target p99 <= 250 ms: ${p99 <= 250 ? 'met' : 'MISSED'})`,
  );
  row(
    'dispatcher',
    `${DELIVERIES} planned deliveries: ${perSecond(dispatched)} (best of ${ROUNDS})`,
  );
  row(
    'bare HTTP POST loop',
    `${DELIVERIES} posts, ${CONCURRENCY} at a time: ${perSecond(bare)} (best of ${ROUNDS})`,
  );
  row(
    'dispatcher / bare',
    `${(ratio * 100).toFixed(0)}% (target >= 50%: ${ratio >= 0.5 ? 'met' : 'MISSED'})`,
  );
  row(
    'reference: WebhookClient alone',
    `${DELIVERIES} signed sends, no database: ${perSecond(clientOnly)} = ` +
      `${((clientOnly / bare) * 100).toFixed(0)}% of bare`,
  );
  row('burst, commit -> webhook', `${BURST} incidents through Kafka: ${perSecond(burst)}`);

  await started.app.close();
  await receiver.close();
  await kafka.stop();
  await database.stop();
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
