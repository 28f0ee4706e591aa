import { RetrySchedule } from '../delivery';
import { failedTooLong, nextStep } from './next-step';

const schedule = RetrySchedule.parse('0s,5s,5m', { jitter: 0 });

describe('nextStep', () => {
  it('is done on delivery', () => {
    expect(nextStep({ outcome: 'delivered' }, 1, schedule)).toEqual({ kind: 'delivered' });
  });

  it('waits for the next scheduled attempt after a failure', () => {
    expect(nextStep({ outcome: 'failed' }, 1, schedule)).toEqual({ kind: 'retry', delayMs: 5_000 });
    expect(nextStep({ outcome: 'failed' }, 2, schedule)).toEqual({
      kind: 'retry',
      delayMs: 300_000,
    });
  });

  it('dead-letters once the schedule is used up', () => {
    expect(nextStep({ outcome: 'failed' }, 3, schedule)).toEqual({
      kind: 'dead-letter',
      reason: 'exhausted',
    });
  });

  it('never retries a 410: the receiver is gone', () => {
    expect(nextStep({ outcome: 'gone' }, 1, schedule)).toEqual({
      kind: 'dead-letter',
      reason: 'gone',
    });
  });

  it('honours a Retry-After longer than the schedule, and not a shorter one', () => {
    expect(nextStep({ outcome: 'throttled', retryAfterMs: 60_000 }, 1, schedule)).toEqual({
      kind: 'retry',
      delayMs: 60_000,
    });
    expect(nextStep({ outcome: 'throttled', retryAfterMs: 1_000 }, 1, schedule)).toEqual({
      kind: 'retry',
      delayMs: 5_000,
    });
  });
});

describe('failedTooLong', () => {
  const now = new Date('2026-03-06T12:00:00Z');
  const fiveDays = 120 * 3_600_000;

  it('is true once the failures span the threshold', () => {
    expect(failedTooLong(new Date('2026-03-01T12:00:00Z'), now, fiveDays)).toBe(true);
    expect(failedTooLong(new Date('2026-03-01T12:00:01Z'), now, fiveDays)).toBe(false);
  });

  it('is false for a subscription that is not failing', () => {
    expect(failedTooLong(null, now, fiveDays)).toBe(false);
  });
});
