import { createHash } from 'node:crypto';

/** Our own UUID namespace, so derived keys never collide with another tool's. */
const NAMESPACE = '798f2a66-760b-41f8-aa0e-281e195be402';

/**
 * A name-based (version 5) UUID: the same parts give the same key, so when a
 * model or a queue retries one tool call, the API sees one Idempotency-Key and
 * replays its first answer instead of acting twice.
 */
export function deriveIdempotencyKey(parts: readonly string[]): string {
  const hash = createHash('sha1')
    .update(Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(parts.map((part) => `${part.length}:${part}`).join(''))
    .digest();

  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}
