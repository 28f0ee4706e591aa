import { DeliveryStatus } from '../storage/subscriptions.schema';

export interface AttemptView {
  attempt: number;
  at: string;
  /** `delivered`, `failed`, `gone` (410) or `throttled` (429, 503). */
  outcome: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  errorKind: string | null;
  /** The start of the receiver's answer, for debugging it. */
  responseSnippet: string | null;
}

/** One integration event on its way to one subscription, with every attempt. */
export interface DeliveryView {
  id: string;
  subscriptionId: string;
  /** The `webhook-id` header: the same on every attempt and on re-sends. */
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  deadLetteredAt: string | null;
  /** The body as sent. */
  payload: unknown;
  /** Oldest first; at most the last 50. */
  attempts: AttemptView[];
}

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  lease_id: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
  dead_lettered_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  outcome: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  error_kind: string | null;
  response_snippet: string | null;
}

export function toDeliveryView(row: DeliveryRow, attempts: AttemptRow[]): DeliveryView {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attemptCount: row.attempts,
    // While an attempt is in flight the due time is the claim's expiry, not a plan.
    nextAttemptAt:
      row.status === 'pending' && row.lease_id === null
        ? (row.next_attempt_at?.toISOString() ?? null)
        : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    deadLetteredAt: row.dead_lettered_at?.toISOString() ?? null,
    payload: parsed(row.payload),
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      at: attempt.started_at.toISOString(),
      outcome: attempt.outcome,
      statusCode: attempt.status_code,
      latencyMs: attempt.latency_ms,
      error: attempt.error,
      errorKind: attempt.error_kind,
      responseSnippet: attempt.response_snippet,
    })),
  };
}

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
