import { DeliveryResult, RetrySchedule } from '../delivery';

/** What becomes of a delivery after an attempt. */
export type NextStep =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead-letter'; reason: 'exhausted' | 'gone' };

/**
 * Only 2xx delivers. 410 says the receiver is gone: no retry (and the
 * subscription is disabled). Anything else waits for the next attempt of
 * the schedule, or longer when a 429 or 503 asked for it with Retry-After;
 * past the last one the delivery is dead-lettered.
 *
 * `roundAttempt` counts attempts since the delivery was planned or re-sent.
 */
export function nextStep(
  result: Pick<DeliveryResult, 'outcome' | 'retryAfterMs'>,
  roundAttempt: number,
  schedule: RetrySchedule,
  random?: () => number,
): NextStep {
  if (result.outcome === 'delivered') return { kind: 'delivered' };
  if (result.outcome === 'gone') return { kind: 'dead-letter', reason: 'gone' };

  const delayMs = schedule.nextAttemptDelay(roundAttempt + 1, {
    retryAfterMs: result.retryAfterMs,
    random,
  });
  return delayMs === null
    ? { kind: 'dead-letter', reason: 'exhausted' }
    : { kind: 'retry', delayMs };
}

/**
 * Whether a subscription that keeps failing should be disabled: it has
 * failed without a single success for at least `disableAfterMs`.
 */
export function failedTooLong(
  failingSince: Date | null,
  now: Date,
  disableAfterMs: number,
): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= disableAfterMs;
}
