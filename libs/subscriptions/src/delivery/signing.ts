import { KeyObject, createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';

import { ValidationError } from '@observe/core';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): an
 * HMAC-SHA256 over `id.timestamp.body` with each active secret, so a
 * receiver that checks any one of them accepts the message.
 */

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
// The spec asks for at least 24 random bytes; shorter keys are refused.
const MIN_SECRET_BYTES = 24;
const SIGNATURE_VERSION = 'v1';
const HMAC_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** How far a receiver lets the timestamp drift from its clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export interface SignInput {
  /** Message id, stable across retries: the receiver's dedupe key. */
  id: string;
  /** Unix time in seconds of this attempt. */
  timestamp: number;
  /** The exact bytes sent; a string is sent and signed as UTF-8. */
  body: Buffer | string;
  /** Every active secret; more than one during rotation. */
  secrets: readonly string[];
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'content-type': string;
}

export type SignatureVerification =
  | { valid: true }
  | { valid: false; reason: 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'no-match' };

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The `webhook-signature` header value: `v1,<base64>` per secret, space-separated. */
export function signPayload(input: SignInput): string {
  assertMessageId(input.id);
  assertTimestamp(input.timestamp);
  if (input.secrets.length === 0) throw new ValidationError('A webhook needs at least one secret');

  const unique = [...new Set(input.secrets)];
  return unique
    .map((secret) => hmac(secret, input.id, input.timestamp, input.body).toString('base64'))
    .map((signature) => `${SIGNATURE_VERSION},${signature}`)
    .join(' ');
}

export function webhookHeaders(input: SignInput & { contentType?: string }): WebhookHeaders {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signPayload(input),
    'content-type': input.contentType ?? 'application/json',
  };
}

export interface VerifyInput {
  /** Request headers as received; names are matched case-insensitively. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
  /** Secrets the receiver accepts; any one matching signature suffices. */
  secrets: readonly string[];
  nowSeconds?: number;
  toleranceSeconds?: number;
}

/** Checks a received webhook the way a receiver should, in constant time per signature. */
export function verifySignature(input: VerifyInput): SignatureVerification {
  const id = header(input.headers, 'webhook-id');
  const timestampText = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) return { valid: false, reason: 'missing-headers' };

  if (!/^\d{1,15}$/.test(timestampText)) return { valid: false, reason: 'bad-timestamp' };
  const timestamp = Number(timestampText);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) return { valid: false, reason: 'stale-timestamp' };

  const expected = input.secrets.map((secret) => hmac(secret, id, timestamp, input.body));
  const offered = signatures.split(' ').flatMap((entry) => {
    const [version, encoded] = entry.split(',');
    // Unknown versions are skipped, so a sender can add a scheme without breaking us.
    if (version !== SIGNATURE_VERSION || !encoded || !BASE64.test(encoded)) return [];
    return [Buffer.from(encoded, 'base64')];
  });

  const matches = offered.some((candidate) =>
    expected.some((mac) => candidate.length === HMAC_BYTES && timingSafeEqual(candidate, mac)),
  );
  return matches ? { valid: true } : { valid: false, reason: 'no-match' };
}

/** A string body is hashed as its UTF-8 bytes, the bytes it is sent as. */
function hmac(secret: string, id: string, timestamp: number, body: Buffer | string): Buffer {
  return createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(body)
    .digest();
}

// A dispatcher signs with the same few secrets again and again; decoding each once is enough.
const KEYS_KEPT = 1_000;
const decodedKeys = new Map<string, KeyObject>();

function secretKey(secret: string): KeyObject {
  const known = decodedKeys.get(secret);
  if (known) return known;

  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.length < MIN_SECRET_BYTES) {
    // The secret itself never goes into the message.
    throw new ValidationError(
      `A webhook secret must be ${SECRET_PREFIX} and base64 of at least ${MIN_SECRET_BYTES} bytes`,
    );
  }
  if (decodedKeys.size >= KEYS_KEPT) {
    const [oldest] = decodedKeys.keys();
    if (oldest !== undefined) decodedKeys.delete(oldest);
  }
  const decoded = createSecretKey(key);
  decodedKeys.set(secret, decoded);
  return decoded;
}

function assertMessageId(id: string): void {
  // The id travels in a header and is joined with dots; printable ASCII keeps it unambiguous.
  if (!/^[\x21-\x7e]{1,256}$/.test(id)) {
    throw new ValidationError('A webhook id must be 1 to 256 printable ASCII characters');
  }
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ValidationError('A webhook timestamp must be whole seconds since the epoch');
  }
}

function header(headers: VerifyInput['headers'], name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}
