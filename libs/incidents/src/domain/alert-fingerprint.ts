import { createHash } from 'node:crypto';

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_ID = /\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * Groups alerts that say the same thing with different numbers: "p99 latency
 * 812ms on pod a1b2c3d4" and "p99 latency 1204ms on pod 9f8e7d6c" share one
 * fingerprint. Used to find similar past incidents of a service.
 */
export function alertFingerprint(source: string | null, text: string): string {
  const normalized = text
    .toLowerCase()
    .replace(UUID, '#')
    .replace(HEX_ID, '#')
    .replace(NUMBER, '#')
    .replace(/\s+/g, ' ')
    .trim();
  const digest = createHash('sha256').update(`${(source ?? '').toLowerCase()}\n${normalized}`);
  return digest.digest('hex').slice(0, 16);
}
