export const MONITOR_KINDS = ['http', 'threshold'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const HTTP_METHODS = ['GET', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'count', 'last'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const COMPARISONS = ['gt', 'gte', 'lt', 'lte'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Requests `url` every `intervalSeconds`; a status outside `expectedStatus` is a failure. */
export type HttpCheckSettings = {
  url: string;
  method: HttpMethod;
  /** Statuses that count as up; empty means any 2xx. Redirects are never followed. */
  expectedStatus: number[];
  timeoutMs: number;
  intervalSeconds: number;
  /** Consecutive failures before the alert triggers, to ride out one lost packet. */
  alertAfterFailures: number;
  severity: AlertSeverity;
};

/**
 * Aggregates the points of `metric` on the monitor's service over the last
 * `windowSeconds`, every `intervalSeconds`, and alerts while the aggregate
 * compares to `threshold` as `operator` says (gt: above it).
 */
export type ThresholdSettings = {
  metric: string;
  aggregation: Aggregation;
  windowSeconds: number;
  operator: Comparison;
  threshold: number;
  intervalSeconds: number;
  severity: AlertSeverity;
};

export type MonitorDefinition =
  | { kind: 'http'; settings: HttpCheckSettings }
  | { kind: 'threshold'; settings: ThresholdSettings };

/**
 * Credentials as they are stored: AES-256-GCM ciphertext only. The plaintext
 * never reaches an event, a read model or an answer.
 */
export type SealedCredentials = { ciphertext: string; updatedAt: string };

export type MonitorStatus = 'active' | 'paused';

export type Monitor = MonitorDefinition & {
  id: string;
  name: string;
  service: string;
  status: MonitorStatus;
  credentials: SealedCredentials | null;
};

/** Each monitor raises and resolves its alerts under one dedup key. */
export function monitorDedupKey(monitorId: string): string {
  return `monitor-${monitorId}`;
}
