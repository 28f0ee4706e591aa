/**
 * Reads a Retry-After header (RFC 9110): whole seconds, or an HTTP date.
 * Answers the wait in milliseconds from `now`, zero for a date already
 * past, and undefined when the value means neither.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;

  if (/^\d+$/.test(text)) {
    const ms = Number(text) * 1_000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }

  // Date.parse takes bare numbers and other loose forms; an HTTP date always names a day or month.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
