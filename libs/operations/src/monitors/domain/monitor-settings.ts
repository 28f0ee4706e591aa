import { FieldErrors } from '../../on-call/domain/field-errors';
import {
  AGGREGATIONS,
  ALERT_SEVERITIES,
  COMPARISONS,
  HTTP_METHODS,
  HttpCheckSettings,
  MonitorDefinition,
  MonitorKind,
  ThresholdSettings,
} from './monitor';

export const HTTP_DEFAULTS: Omit<HttpCheckSettings, 'url'> = {
  method: 'GET',
  expectedStatus: [],
  timeoutMs: 10_000,
  intervalSeconds: 60,
  alertAfterFailures: 1,
  severity: 'critical',
};

export const THRESHOLD_DEFAULTS: Omit<ThresholdSettings, 'metric' | 'operator' | 'threshold'> = {
  aggregation: 'avg',
  windowSeconds: 300,
  intervalSeconds: 60,
  severity: 'error',
};

export const METRIC_NAME = /^[A-Za-z0-9_.:/-]{1,200}$/;
const MAX_URL_LENGTH = 2048;

/**
 * Reads settings given by a caller over a base (defaults, or the current
 * settings when tuning), collecting a field error for each bad value.
 */
class SettingsReader {
  constructor(
    private readonly given: Record<string, unknown>,
    private readonly base: Record<string, unknown>,
    private readonly errors: FieldErrors,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(given)) {
      if (!allowed.includes(key)) {
        this.errors.add(`settings.${key}`, `is not a setting; use ${allowed.join(', ')}`);
      }
    }
  }

  private value(key: string): unknown {
    return key in this.given ? this.given[key] : this.base[key];
  }

  integer(key: string, min: number, max: number): number {
    const value = this.value(key);
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
      return value;
    }
    this.errors.add(`settings.${key}`, `must be a whole number from ${min} to ${max}`);
    return min;
  }

  finite(key: string): number {
    const value = this.value(key);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.errors.add(`settings.${key}`, 'must be a finite number');
    return 0;
  }

  oneOf<T extends string>(key: string, choices: readonly T[]): T {
    const value = this.value(key);
    const match = choices.find((choice) => choice === value);
    if (match !== undefined) return match;
    this.errors.add(`settings.${key}`, `must be one of ${choices.join(', ')}`);
    return choices[0];
  }

  text(key: string, pattern: RegExp, description: string): string {
    const value = this.value(key);
    if (typeof value === 'string' && pattern.test(value)) return value;
    this.errors.add(`settings.${key}`, `must be ${description}`);
    return '';
  }

  statuses(key: string): number[] {
    const value = this.value(key);
    const valid =
      Array.isArray(value) &&
      value.length <= 20 &&
      value.every((item) => Number.isInteger(item) && item >= 100 && item <= 599);
    if (valid) return [...new Set(value as number[])].sort((a, b) => a - b);
    this.errors.add(
      `settings.${key}`,
      'must list at most 20 HTTP statuses (100-599); [] is any 2xx',
    );
    return [];
  }

  url(key: string): string {
    const value = this.value(key);
    if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) {
      this.errors.add(
        `settings.${key}`,
        `must be an http(s) URL of at most ${MAX_URL_LENGTH} characters`,
      );
      return '';
    }
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.errors.add(`settings.${key}`, 'must be an absolute http(s) URL');
      return '';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      this.errors.add(`settings.${key}`, 'must use http or https');
    }
    if (parsed.username !== '' || parsed.password !== '') {
      // A URL is shown to every reader; secrets belong in the write-only credentials.
      this.errors.add(
        `settings.${key}`,
        'must not carry credentials; put them in credentials.headers',
      );
    }
    return value;
  }
}

function httpSettings(reader: SettingsReader, errors: FieldErrors): HttpCheckSettings {
  const settings: HttpCheckSettings = {
    url: reader.url('url'),
    method: reader.oneOf('method', HTTP_METHODS),
    expectedStatus: reader.statuses('expectedStatus'),
    timeoutMs: reader.integer('timeoutMs', 100, 30_000),
    intervalSeconds: reader.integer('intervalSeconds', 10, 86_400),
    alertAfterFailures: reader.integer('alertAfterFailures', 1, 10),
    severity: reader.oneOf('severity', ALERT_SEVERITIES),
  };
  // A check must finish before the next one is due, or two could overlap.
  if (settings.timeoutMs >= settings.intervalSeconds * 1000) {
    errors.add('settings.timeoutMs', 'must be shorter than the interval');
  }
  return settings;
}

function thresholdSettings(reader: SettingsReader): ThresholdSettings {
  return {
    metric: reader.text('metric', METRIC_NAME, 'a metric name of 1-200 of A-Z a-z 0-9 _ . : / -'),
    aggregation: reader.oneOf('aggregation', AGGREGATIONS),
    windowSeconds: reader.integer('windowSeconds', 10, 86_400),
    operator: reader.oneOf('operator', COMPARISONS),
    threshold: reader.finite('threshold'),
    intervalSeconds: reader.integer('intervalSeconds', 10, 86_400),
    severity: reader.oneOf('severity', ALERT_SEVERITIES),
  };
}

const HTTP_KEYS = ['url', ...Object.keys(HTTP_DEFAULTS)];
const THRESHOLD_KEYS = ['metric', 'operator', 'threshold', ...Object.keys(THRESHOLD_DEFAULTS)];

/**
 * The settings of a monitor of `kind`: `given` over `current` (when tuning)
 * or over the defaults. Bad or unknown fields land in `errors`.
 */
export function resolveSettings(
  kind: MonitorKind,
  given: Record<string, unknown>,
  errors: FieldErrors,
  current?: MonitorDefinition,
): MonitorDefinition {
  if (kind === 'http') {
    const base = current?.kind === 'http' ? current.settings : HTTP_DEFAULTS;
    return {
      kind,
      settings: httpSettings(new SettingsReader(given, base, errors, HTTP_KEYS), errors),
    };
  }
  const base = current?.kind === 'threshold' ? current.settings : THRESHOLD_DEFAULTS;
  return {
    kind,
    settings: thresholdSettings(new SettingsReader(given, base, errors, THRESHOLD_KEYS)),
  };
}

/** The setting names whose values differ, for `MonitorTuned.changed`. */
export function changedSettings(before: MonitorDefinition, after: MonitorDefinition): string[] {
  const left: Record<string, unknown> = before.settings;
  const right: Record<string, unknown> = after.settings;
  return Object.keys(right)
    .filter((key) => JSON.stringify(left[key]) !== JSON.stringify(right[key]))
    .sort();
}
