import { Injectable } from '@nestjs/common';

import { IncidentLink, Severity } from '../domain/incident';

/** A trigger that would open a new incident, as the suppression policy sees it. */
export type IncomingAlert = {
  service: string;
  dedupKey: string;
  summary: string;
  severity: Severity;
  source: string;
  links: IncidentLink[];
  details: Record<string, unknown> | null;
};

export type SuppressionDecision =
  | { suppressed: false }
  | {
      suppressed: true;
      reason: string;
      /** What suppressed it, e.g. `{ kind: 'maintenance', id }`, for the answer and the audit. */
      suppressedBy: { kind: string; id: string } | null;
    };

/**
 * Consulted before an alert opens an incident (not when it joins an open
 * one). It runs inside the ingestion's transaction and command context, so a
 * policy that suppresses records its own `AlertSuppressed` event (with the
 * AggregateRepository, on its stream) and it commits with the answer.
 * The operations module provides the maintenance-window policy.
 */
export abstract class AlertSuppressionPolicy {
  abstract evaluate(alert: IncomingAlert): Promise<SuppressionDecision>;
}

@Injectable()
export class NeverSuppressAlerts extends AlertSuppressionPolicy {
  async evaluate(): Promise<SuppressionDecision> {
    return { suppressed: false };
  }
}
