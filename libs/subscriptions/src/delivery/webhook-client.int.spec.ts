import { Socket } from 'node:net';

import { Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';

import { ManualClock } from '@observe/core';

import { generateWebhookSecret, webhookHeaders } from './signing';
import { HostResolver, SsrfGuard } from './ssrf-guard';
import { RECEIVER_TLS } from './testing/receiver-tls';
import { ReceiverHandler, TestReceiver, answer, startTestReceiver } from './testing/test-receiver';
import { WebhookClient } from './webhook-client';

const receivers: TestReceiver[] = [];
const clients: WebhookClient[] = [];

async function startReceiver(handler: ReceiverHandler, options: { tls?: boolean } = {}) {
  const receiver = await startTestReceiver(handler, options);
  receivers.push(receiver);
  return receiver;
}

interface ClientSetup {
  resolver?: HostResolver;
  allow?: string[];
  clock?: ManualClock;
  ca?: string;
}

function clientFor(options: ClientSetup = {}) {
  const guard = new SsrfGuard(options.allow ?? ['127.0.0.0/8'], options.resolver);
  const client = new WebhookClient({ guard, clock: options.clock, ca: options.ca });
  clients.push(client);
  return client;
}

function signed(body: Buffer | string) {
  const secret = generateWebhookSecret();
  const headers = webhookHeaders({
    id: 'evt_7d1c',
    timestamp: Math.floor(Date.now() / 1000),
    body,
    secrets: [secret],
  });
  return { secret, headers: { ...headers }, body };
}

/** How many sockets announced an established connection while the spy watched. */
function connectedSockets(emit: jest.SpiedFunction<Socket['emit']>): number {
  const events = emit.mock.calls.map(([event]): string | symbol => event);
  return events.filter((event) => event === 'connect').length;
}

afterEach(async () => {
  jest.restoreAllMocks();
  for (const client of clients.splice(0)) client.close();
  for (const receiver of receivers.splice(0)) await receiver.close();
});

describe('WebhookClient.deliver', () => {
  it('delivers on 2xx, and the receiver gets exactly the signed bytes', async () => {
    const receiver = await startReceiver(answer(204));
    const text = '{"type":"incident.opened","title":"Dépôt échoué 🚨"}';
    const message = signed(text);

    const result = await clientFor().deliver({ url: receiver.url, ...message });

    expect(result).toMatchObject({ outcome: 'delivered', status: 204 });
    const [received] = receiver.requests;
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe('/hooks/in?source=24observe');
    expect(received?.body.equals(Buffer.from(text, 'utf8'))).toBe(true);
    const headers = { ...received?.headers } as Record<string, string>;
    expect(() => new Webhook(message.secret).verify(received?.body ?? '', headers)).not.toThrow();
  });

  it('connects to the vetted address while keeping the hostname in the Host header', async () => {
    const receiver = await startReceiver(answer(200, {}, 'ok'));
    const resolver: HostResolver = async (hostname) =>
      hostname === 'receiver.test' ? [{ address: '127.0.0.1', family: 4 }] : [];
    const message = signed('{}');

    const result = await clientFor({ resolver }).deliver({
      url: `http://receiver.test:${receiver.port}/in`,
      ...message,
      headers: { ...message.headers, host: 'elsewhere.test' },
    });

    expect(result).toMatchObject({ outcome: 'delivered', status: 200, responseSnippet: 'ok' });
    expect(receiver.requests[0]?.headers.host).toBe(`receiver.test:${receiver.port}`);
  });

  it('reuses the connection for the next delivery to the same origin', async () => {
    const receiver = await startReceiver(answer(200));
    const client = clientFor();

    await client.deliver({ url: receiver.url, ...signed('{"n":1}') });
    await client.deliver({ url: receiver.url, ...signed('{"n":2}') });

    expect(receiver.requests).toHaveLength(2);
    expect(receiver.connections).toBe(1);
  });

  it('fails on 500 and keeps the start of the answer', async () => {
    const receiver = await startReceiver(answer(500, {}, 'database unavailable'));

    const result = await clientFor().deliver({ url: receiver.url, ...signed('{}') });

    expect(result).toMatchObject({
      outcome: 'failed',
      status: 500,
      errorKind: 'status',
      responseSnippet: 'database unavailable',
    });
  });

  it('fails on a redirect, names where it pointed, and never follows it', async () => {
    const target = await startReceiver(answer(200));
    const receiver = await startReceiver(answer(301, { location: target.url }));

    const result = await clientFor().deliver({ url: receiver.url, ...signed('{}') });

    expect(result).toMatchObject({ outcome: 'failed', status: 301, errorKind: 'redirect' });
    expect(result.error).toContain(target.url);
    expect(target.requests).toHaveLength(0);
    expect(target.connections).toBe(0);
  });

  it('reports gone on 410, so the subscription can be disabled', async () => {
    const receiver = await startReceiver(answer(410));

    const result = await clientFor().deliver({ url: receiver.url, ...signed('{}') });

    expect(result).toMatchObject({ outcome: 'gone', status: 410 });
  });

  it('reports throttled on 429 with Retry-After in seconds', async () => {
    const receiver = await startReceiver(answer(429, { 'retry-after': '120' }));

    const result = await clientFor().deliver({ url: receiver.url, ...signed('{}') });

    expect(result).toMatchObject({ outcome: 'throttled', status: 429, retryAfterMs: 120_000 });
  });

  it('reports throttled on 429 with Retry-After as an HTTP date', async () => {
    const clock = new ManualClock('2026-05-04T10:00:00Z');
    const receiver = await startReceiver(
      answer(429, { 'retry-after': 'Mon, 04 May 2026 10:02:00 GMT' }),
    );

    const result = await clientFor({ clock }).deliver({ url: receiver.url, ...signed('{}') });

    expect(result).toMatchObject({ outcome: 'throttled', retryAfterMs: 120_000 });
  });

  it('reports throttled on 503, with or without Retry-After', async () => {
    const asked = await startReceiver(answer(503, { 'retry-after': '30' }));
    const silent = await startReceiver(answer(503));
    const client = clientFor();

    const withHeader = await client.deliver({ url: asked.url, ...signed('{}') });
    const without = await client.deliver({ url: silent.url, ...signed('{}') });

    expect(withHeader).toMatchObject({ outcome: 'throttled', status: 503, retryAfterMs: 30_000 });
    expect(without).toMatchObject({ outcome: 'throttled', status: 503 });
    expect(without.retryAfterMs).toBeUndefined();
  });

  it('fails with a timeout when the receiver never answers', async () => {
    const receiver = await startReceiver(() => undefined);

    const result = await clientFor().deliver({
      url: receiver.url,
      ...signed('{}'),
      timeoutMs: 300,
    });

    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'timeout' });
    expect(result.error).toBe('no response within 300 ms');
    expect(result.status).toBeUndefined();
  });

  it('counts DNS resolution inside the timeout', async () => {
    const hanging: HostResolver = () => new Promise(() => undefined);

    const result = await clientFor({ resolver: hanging }).deliver({
      url: 'http://slow-dns.test/in',
      ...signed('{}'),
      timeoutMs: 200,
    });

    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'timeout' });
  });

  it('fails with the connection error when nothing listens', async () => {
    const receiver = await startReceiver(answer(200));
    const url = receiver.url;
    await receiver.close();

    const result = await clientFor().deliver({ url, ...signed('{}') });

    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'connection' });
    expect(result.error).toContain('ECONNREFUSED');
  });

  it('reads a long answer only up to its cap', async () => {
    const receiver = await startReceiver(answer(200, {}, 'x'.repeat(1024 * 1024)));

    const result = await clientFor().deliver({ url: receiver.url, ...signed('{}') });

    expect(result.outcome).toBe('delivered');
    expect(result.responseSnippet).toHaveLength(1024);
  });
});

describe('WebhookClient over TLS', () => {
  const pinned: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];

  it('checks the certificate and SNI against the URL hostname, on the pinned address', async () => {
    const receiver = await startReceiver(answer(200), { tls: true });

    const result = await clientFor({ resolver: pinned, ca: RECEIVER_TLS.cert }).deliver({
      url: `https://${RECEIVER_TLS.hostname}:${receiver.port}/in`,
      ...signed('{}'),
    });

    expect(result).toMatchObject({ outcome: 'delivered', status: 200 });
    expect(receiver.servernames).toEqual([RECEIVER_TLS.hostname]);
    expect(receiver.requests[0]?.headers.host).toBe(`${RECEIVER_TLS.hostname}:${receiver.port}`);
  });

  it('fails when the certificate does not name the URL hostname', async () => {
    const receiver = await startReceiver(answer(200), { tls: true });

    const result = await clientFor({ resolver: pinned, ca: RECEIVER_TLS.cert }).deliver({
      url: `https://impostor.test:${receiver.port}/in`,
      ...signed('{}'),
    });

    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'connection' });
    expect(result.error).toContain('impostor.test');
    expect(receiver.requests).toHaveLength(0);
  });

  it('fails when no trusted authority signed the certificate', async () => {
    const receiver = await startReceiver(answer(200), { tls: true });

    const result = await clientFor({ resolver: pinned }).deliver({
      url: `https://${RECEIVER_TLS.hostname}:${receiver.port}/in`,
      ...signed('{}'),
    });

    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'connection' });
    expect(result.error).toMatch(/self[- ]signed/i);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('WebhookClient against SSRF', () => {
  it('opens a socket through the watched path when a target is allowed', async () => {
    // The control for the "no socket" checks below: the spy does see real connections.
    const receiver = await startReceiver(answer(200));
    const connect = jest.spyOn(Socket.prototype, 'connect');
    const emit = jest.spyOn(Socket.prototype, 'emit');

    const result = await clientFor().deliver({ url: receiver.url, ...signed('{}') });

    expect(result.outcome).toBe('delivered');
    expect(connect).toHaveBeenCalledTimes(1);
    expect(connectedSockets(emit)).toBe(1);
  });

  it('refuses a loopback target that is not allow-listed, opening no socket', async () => {
    const receiver = await startReceiver(answer(200));
    const connect = jest.spyOn(Socket.prototype, 'connect');

    const result = await clientFor({ allow: [] }).deliver({ url: receiver.url, ...signed('{}') });

    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'refused' });
    expect(result.error).toContain('loopback');
    expect(connect).not.toHaveBeenCalled();
    expect(receiver.connections).toBe(0);
  });

  it('refuses at connection a host rebound to loopback after registration', async () => {
    const receiver = await startReceiver(answer(200));
    const answers = ['93.184.215.14', '127.0.0.1'];
    const rebinding: HostResolver = async () => {
      const address = answers.length > 1 ? answers.shift() : answers[0];
      return [{ address: address ?? '127.0.0.1', family: 4 }];
    };
    const guard = new SsrfGuard([], rebinding);
    const client = new WebhookClient({ guard });
    clients.push(client);
    const url = `http://rebind.test:${receiver.port}/in`;
    // A hostname is vetted in the socket's own lookup: the socket exists, but never connects.
    const emit = jest.spyOn(Socket.prototype, 'emit');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    const registered = await guard.assertUrlAllowed(url);
    const result = await client.deliver({ url, ...signed('{}') });

    expect(registered).toEqual([{ address: '93.184.215.14', family: 4 }]);
    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'refused' });
    expect(result.error).toMatch(/rebind\.test resolves to 127\.0\.0\.1.*loopback/);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        host: 'rebind.test',
        address: '127.0.0.1',
        addressClass: 'loopback',
      }),
    );
    expect(connectedSockets(emit)).toBe(0);
    expect(receiver.connections).toBe(0);
  });

  it('refuses when any resolved address is refused, though the first is allow-listed', async () => {
    const receiver = await startReceiver(answer(200));
    const mixed: HostResolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '::ffff:10.0.0.1', family: 6 },
    ];

    const result = await clientFor({ resolver: mixed }).deliver({
      url: `http://mixed.test:${receiver.port}/in`,
      ...signed('{}'),
    });

    expect(result).toMatchObject({ outcome: 'failed', errorKind: 'refused' });
    expect(result.error).toContain('10.0.0.1');
    expect(receiver.connections).toBe(0);
  });

  it('refuses a URL with credentials or another scheme before any lookup', async () => {
    const lookups: string[] = [];
    const resolver: HostResolver = async (hostname) => {
      lookups.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const client = clientFor({ resolver });

    const withCredentials = await client.deliver({
      url: 'http://a:b@receiver.test/',
      ...signed('{}'),
    });
    const otherScheme = await client.deliver({ url: 'ftp://receiver.test/', ...signed('{}') });

    expect(withCredentials).toMatchObject({ outcome: 'failed', errorKind: 'refused' });
    expect(otherScheme).toMatchObject({ outcome: 'failed', errorKind: 'refused' });
    expect(lookups).toEqual([]);
  });
});
