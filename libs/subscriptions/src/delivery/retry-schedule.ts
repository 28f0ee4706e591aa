/**
 * When to try a webhook again. Each entry is the wait before that attempt,
 * counted from the previous one: the default gives up after about three
 * days of failure. Compressed schedules (`0ms,50ms,100ms`) keep tests fast.
 */
export const DEFAULT_RETRY_SCHEDULE = '0s,5s,5m,30m,2h,5h,10h,14h,20h,24h';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ENTRY = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const DEFAULT_JITTER = 0.1;
const DEFAULT_MAX_RETRY_AFTER_MS = UNIT_MS.d;

export interface RetryScheduleOptions {
  /** Spread of each delay either way, as a fraction (0.1 is +/-10%). */
  jitter?: number;
  /** A receiver's Retry-After is honoured up to this, so none can park us for weeks. */
  maxRetryAfterMs?: number;
}

export interface NextAttemptOptions {
  /** The wait the receiver asked for in its last answer (429 or 503). */
  retryAfterMs?: number;
  /** A source of numbers in [0, 1), for tests to pin the jitter. */
  random?: () => number;
}

/** Parses `0s,5s,5m,...` into milliseconds; units ms, s, m, h, d. */
export function parseRetrySchedule(spec: string, variable = 'WEBHOOK_RETRY_SCHEDULE'): number[] {
  if (spec.trim() === '') throw scheduleError(variable, 'is empty');
  const entries = spec.split(',').map((entry) => entry.trim());

  return entries.map((entry, index) => {
    const match = ENTRY.exec(entry);
    if (!match) {
      const shown = entry === '' ? 'an empty entry' : JSON.stringify(entry);
      throw scheduleError(
        variable,
        `has ${shown} at position ${index + 1}; use a number and a unit (ms, s, m, h, d)`,
      );
    }

    const [, amount = '0', unit = 'ms'] = match;
    const ms = Math.round(Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
    if (!Number.isSafeInteger(ms)) throw scheduleError(variable, `has ${entry}, which is too long`);
    return ms;
  });
}

export class RetrySchedule {
  private readonly jitter: number;
  private readonly maxRetryAfterMs: number;

  constructor(
    readonly delaysMs: readonly number[],
    options: RetryScheduleOptions = {},
  ) {
    if (delaysMs.length === 0) throw new RangeError('A retry schedule needs at least one attempt');
    if (delaysMs.some((delay) => !Number.isSafeInteger(delay) || delay < 0)) {
      throw new RangeError('Retry delays must be whole, non-negative milliseconds');
    }

    this.jitter = options.jitter ?? DEFAULT_JITTER;
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError('Jitter must be within 0..1');
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  }

  /** Parses a spec such as WEBHOOK_RETRY_SCHEDULE; errors name `options.variable`. */
  static parse(
    spec: string,
    options: RetryScheduleOptions & { variable?: string } = {},
  ): RetrySchedule {
    return new RetrySchedule(parseRetrySchedule(spec, options.variable), options);
  }

  /** How many attempts the schedule allows, the first included. */
  get attempts(): number {
    return this.delaysMs.length;
  }

  /**
   * The wait before attempt `attemptNumber` (1 is the first delivery),
   * jittered so that failures at one moment do not retry in lockstep; null
   * when the schedule is exhausted. A larger Retry-After wins, never jittered
   * below what the receiver asked for.
   */
  nextAttemptDelay(attemptNumber: number, options: NextAttemptOptions = {}): number | null {
    if (!Number.isSafeInteger(attemptNumber) || attemptNumber < 1) {
      throw new RangeError(`Attempt numbers start at 1 (got ${attemptNumber})`);
    }
    const base = this.delaysMs[attemptNumber - 1];
    if (base === undefined) return null;

    const draw = Math.min(Math.max((options.random ?? Math.random)(), 0), 1);
    const jittered = Math.max(0, Math.round(base * (1 + (draw * 2 - 1) * this.jitter)));

    const asked = options.retryAfterMs;
    if (asked === undefined || !Number.isFinite(asked) || asked <= 0) return jittered;
    return Math.max(jittered, Math.min(Math.ceil(asked), this.maxRetryAfterMs));
  }
}

function scheduleError(variable: string, problem: string): Error {
  return new Error(`${variable} ${problem} (expected e.g. ${DEFAULT_RETRY_SCHEDULE})`);
}
