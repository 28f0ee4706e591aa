export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `incident` is opened here; `security` (detections) and `case` (cases) by other modules. */
export const INCIDENT_KINDS = ['incident', 'security', 'case'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** PagerDuty's lifecycle: open incidents are triggered or acknowledged. */
export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** A link an alert or a responder attached: a dashboard, a runbook, a log search. */
export type IncidentLink = { href: string; text: string | null };

export type IncidentUpdate = { message: string; links: IncidentLink[]; postedAt: string };

/** The incident as the aggregate knows it after folding its events. */
export interface Incident {
  id: string;
  kind: IncidentKind;
  title: string;
  summary: string | null;
  status: IncidentStatus;
  severity: Severity;
  service: string | null;
  assignee: string | null;
  alertCount: number;
  dedupKey: string | null;
  fingerprint: string;
  source: string | null;
  links: IncidentLink[];
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
  lastUpdate: IncidentUpdate | null;
  analyzedAt: string | null;
  updatedAt: string;
  sequence: number;
}

export function incidentStreamId(incidentId: string): string {
  return `incident-${incidentId}`;
}

export function isOpen(status: IncidentStatus): boolean {
  return status !== 'resolved';
}
