import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';

import { ValidationError } from '@observe/core';

import { generateWebhookSecret, signPayload, verifySignature, webhookHeaders } from './signing';

// The example published with the Standard Webhooks reference libraries.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const message = (overrides: Partial<Parameters<typeof webhookHeaders>[0]> = {}) => ({
  id: 'evt_01J9Z6',
  timestamp: nowSeconds(),
  body: Buffer.from('{"type":"incident.opened","title":"Paiement refusé 🚨"}', 'utf8'),
  secrets: [generateWebhookSecret()],
  ...overrides,
});

const asRecord = (headers: object): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));

describe('generateWebhookSecret', () => {
  it('is whsec_ and base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
  });

  it('differs every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateWebhookSecret));

    expect(secrets.size).toBe(50);
  });
});

describe('signPayload', () => {
  it('reproduces the published Standard Webhooks example', () => {
    const signature = signPayload({
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
      body: VECTOR.body,
      secrets: [VECTOR.secret],
    });

    expect(signature).toBe(VECTOR.signature);
  });

  it('signs a string body as its UTF-8 bytes', () => {
    const input = message();

    const fromString = signPayload({ ...input, body: input.body.toString('utf8') });

    expect(fromString).toBe(signPayload(input));
  });

  it('gives one v1 signature per secret during rotation, space-separated', () => {
    const input = message({ secrets: [generateWebhookSecret(), generateWebhookSecret()] });

    const parts = signPayload(input).split(' ');

    expect(parts).toHaveLength(2);
    expect(parts.every((part) => /^v1,[A-Za-z0-9+/]{43}=$/.test(part))).toBe(true);
  });

  it('refuses a missing or short secret, and an id or timestamp that breaks the header', () => {
    expect(() => signPayload(message({ secrets: [] }))).toThrow(ValidationError);
    const short = `whsec_${Buffer.alloc(16, 1).toString('base64')}`;
    expect(() => signPayload(message({ secrets: [short] }))).toThrow(/at least 24 bytes/);
    expect(() => signPayload(message({ id: 'evt\r\nx-injected: 1' }))).toThrow(ValidationError);
    expect(() => signPayload(message({ timestamp: 1.5 }))).toThrow(ValidationError);
  });
});

describe('webhookHeaders, checked by the standardwebhooks reference library', () => {
  it('is accepted by a receiver holding any one of the rotating secrets', () => {
    const [previous, next] = [generateWebhookSecret(), generateWebhookSecret()];
    const input = message({ secrets: [previous, next] });

    const headers = asRecord(webhookHeaders(input));

    expect(() => new Webhook(previous).verify(input.body, headers)).not.toThrow();
    expect(() => new Webhook(next).verify(input.body, headers)).not.toThrow();
    expect(headers['webhook-id']).toBe(input.id);
    expect(headers['webhook-timestamp']).toBe(String(input.timestamp));
    expect(headers['content-type']).toBe('application/json');
  });

  it('is rejected when one byte of the body changes', () => {
    const input = message();
    const headers = asRecord(webhookHeaders(input));
    const tampered = Buffer.from(input.body);
    tampered[tampered.length - 2] ^= 0x01;

    expect(() => new Webhook(input.secrets[0] ?? '').verify(tampered, headers)).toThrow(
      /No matching signature/,
    );
  });

  it('is rejected for a secret that is not active', () => {
    const input = message();

    const headers = asRecord(webhookHeaders(input));

    expect(() => new Webhook(generateWebhookSecret()).verify(input.body, headers)).toThrow();
  });

  it('verifies for any body bytes and id', () => {
    const secret = generateWebhookSecret();
    const receiver = new Webhook(secret);

    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        (bytes, id) => {
          const body = Buffer.from(bytes);
          const headers = asRecord(
            webhookHeaders({ id, timestamp: nowSeconds(), body, secrets: [secret] }),
          );
          receiver.verify(body, headers, { jsonParse: false });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('verifySignature', () => {
  it('accepts what the reference library signs', () => {
    const secret = generateWebhookSecret();
    const timestamp = new Date(nowSeconds() * 1000);
    const body = '{"ok":true}';
    const headers = {
      'Webhook-Id': 'msg_1',
      'Webhook-Timestamp': String(timestamp.getTime() / 1000),
      'Webhook-Signature': new Webhook(secret).sign('msg_1', timestamp, body),
    };

    expect(verifySignature({ headers, body, secrets: [secret] })).toEqual({ valid: true });
  });

  it('accepts with the old secret while the sender signs with both', () => {
    const [old, fresh] = [generateWebhookSecret(), generateWebhookSecret()];
    const input = message({ secrets: [old, fresh] });

    const result = verifySignature({
      headers: { ...webhookHeaders(input) },
      body: input.body,
      secrets: [old],
    });

    expect(result).toEqual({ valid: true });
  });

  it('rejects a tampered body, an unknown secret and missing headers', () => {
    const input = message();
    const headers = { ...webhookHeaders(input) };

    const tampered = verifySignature({
      headers,
      body: `${input.body.toString()} `,
      secrets: input.secrets,
    });
    const wrongSecret = verifySignature({
      headers,
      body: input.body,
      secrets: [generateWebhookSecret()],
    });
    const missing = verifySignature({ headers: {}, body: input.body, secrets: input.secrets });

    expect(tampered).toEqual({ valid: false, reason: 'no-match' });
    expect(wrongSecret).toEqual({ valid: false, reason: 'no-match' });
    expect(missing).toEqual({ valid: false, reason: 'missing-headers' });
  });

  it('allows five minutes of skew either way and no more', () => {
    const input = message({ timestamp: 1_800_000_000 });
    const headers = { ...webhookHeaders(input) };
    const check = (nowSeconds: number) =>
      verifySignature({ headers, body: input.body, secrets: input.secrets, nowSeconds });

    expect(check(1_800_000_300)).toEqual({ valid: true });
    expect(check(1_799_999_700)).toEqual({ valid: true });
    expect(check(1_800_000_301)).toEqual({ valid: false, reason: 'stale-timestamp' });
    expect(check(1_799_999_699)).toEqual({ valid: false, reason: 'stale-timestamp' });
  });

  it('rejects a timestamp that is not whole seconds', () => {
    const input = message();
    const headers = { ...webhookHeaders(input), 'webhook-timestamp': '1e9' };

    const result = verifySignature({ headers, body: input.body, secrets: input.secrets });

    expect(result).toEqual({ valid: false, reason: 'bad-timestamp' });
  });

  it('ignores signatures of other versions and malformed entries', () => {
    const input = message();
    const genuine = signPayload(input);
    const headers = {
      ...webhookHeaders(input),
      'webhook-signature': `v2,abc v1,not-base64! v1, ${genuine}`,
    };

    const result = verifySignature({ headers, body: input.body, secrets: input.secrets });

    expect(result).toEqual({ valid: true });
  });
});
