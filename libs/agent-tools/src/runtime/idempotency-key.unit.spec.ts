import { deriveIdempotencyKey } from './idempotency-key';
import { retryAfterMs } from './retry-after';

describe('deriveIdempotencyKey', () => {
  it('is a version 5 UUID that depends only on its parts', () => {
    const key = deriveIdempotencyKey(['agent', 'conversation', 'tool', 'call_1']);

    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deriveIdempotencyKey(['agent', 'conversation', 'tool', 'call_1'])).toBe(key);
    expect(deriveIdempotencyKey(['agent', 'conversation', 'tool', 'call_2'])).not.toBe(key);
  });

  it('does not confuse parts that concatenate to the same text', () => {
    expect(deriveIdempotencyKey(['ab', 'c'])).not.toBe(deriveIdempotencyKey(['a', 'bc']));
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');

    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
