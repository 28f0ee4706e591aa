import fc from 'fast-check';

import { DEFAULT_RETRY_SCHEDULE, RetrySchedule, parseRetrySchedule } from './retry-schedule';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('parseRetrySchedule', () => {
  it('reads the default schedule', () => {
    expect(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toEqual([
      0,
      5 * SECOND,
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      14 * HOUR,
      20 * HOUR,
      24 * HOUR,
    ]);
  });

  it('reads milliseconds, fractions, days and spaces, so tests can compress it', () => {
    expect(parseRetrySchedule(' 0ms, 50ms ,1.5s,1d')).toEqual([0, 50, 1_500, 24 * HOUR]);
  });

  it.each(['', ' ', '5', '5x', '5s,,10s', '-5s', '5 s', '5s;10s', '1e3ms'])(
    'refuses %j with an error naming the variable',
    (spec) => {
      expect(() => parseRetrySchedule(spec)).toThrow(/^WEBHOOK_RETRY_SCHEDULE /);
    },
  );

  it('names the entry at fault and the variable it came from', () => {
    expect(() => RetrySchedule.parse('0s,5s,soon', { variable: 'TEST_SCHEDULE' })).toThrow(
      /TEST_SCHEDULE has "soon" at position 3/,
    );
  });
});

describe('RetrySchedule.nextAttemptDelay', () => {
  const schedule = RetrySchedule.parse(DEFAULT_RETRY_SCHEDULE);

  it('sends the first attempt at once, whatever the jitter', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (draw) => {
        return schedule.nextAttemptDelay(1, { random: () => draw }) === 0;
      }),
    );
  });

  it('stays within 10% of the scheduled delay and never goes negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: schedule.attempts }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, draw) => {
          const base = schedule.delaysMs[attempt - 1] ?? 0;
          const delay = schedule.nextAttemptDelay(attempt, { random: () => draw }) ?? -1;
          return delay >= 0 && delay >= Math.floor(base * 0.9) && delay <= Math.ceil(base * 1.1);
        },
      ),
    );
  });

  it('reaches both ends of the jitter band', () => {
    expect(schedule.nextAttemptDelay(3, { random: () => 0 })).toBe(4.5 * MINUTE);
    expect(schedule.nextAttemptDelay(3, { random: () => 0.5 })).toBe(5 * MINUTE);
    expect(schedule.nextAttemptDelay(3, { random: () => 0.999999 })).toBeCloseTo(5.5 * MINUTE, -2);
  });

  it('answers null once every scheduled attempt is used, even when asked to wait', () => {
    expect(schedule.nextAttemptDelay(10)).not.toBeNull();
    expect(schedule.nextAttemptDelay(11)).toBeNull();
    expect(schedule.nextAttemptDelay(11, { retryAfterMs: 1_000 })).toBeNull();
  });

  it('waits as long as Retry-After asks when that is longer than the schedule', () => {
    const options = { random: () => 0.5 };

    expect(schedule.nextAttemptDelay(2, { ...options, retryAfterMs: 120 * SECOND })).toBe(
      120 * SECOND,
    );
    expect(schedule.nextAttemptDelay(4, { ...options, retryAfterMs: 120 * SECOND })).toBe(
      30 * MINUTE,
    );
  });

  it('caps Retry-After, so a receiver cannot park deliveries indefinitely', () => {
    const capped = RetrySchedule.parse('0ms,50ms', { maxRetryAfterMs: 2_000 });

    expect(capped.nextAttemptDelay(2, { random: () => 0.5, retryAfterMs: 60_000 })).toBe(2_000);
  });

  it('refuses attempt numbers below 1', () => {
    expect(() => schedule.nextAttemptDelay(0)).toThrow(RangeError);
  });
});
