import { DomainEvent } from '@observe/commands';

import { IncidentKind, IncidentLink, Severity } from './incident';
import { IncidentVerdict } from './incident-analysis';

/**
 * What every incident event carries, so subscribers (webhooks, the analyst,
 * other modules) need nothing else: the incident, its per-incident sequence
 * (1, 2, 3… = stream revision + 1), its service and when it happened.
 */
export type IncidentEventBase = {
  incidentId: string;
  sequence: number;
  service: string | null;
  at: string;
};

/** How a change reached the incident: a responder's call or an alert event. */
export type Channel = 'api' | 'alert';

export type IncidentOpenedData = IncidentEventBase & {
  kind: IncidentKind;
  title: string;
  summary: string | null;
  severity: Severity;
  origin: 'alert' | 'manual';
  dedupKey: string | null;
  /** Groups alerts that say the same thing, for "similar past incidents". */
  fingerprint: string;
  source: string | null;
  links: IncidentLink[];
  details: Record<string, unknown> | null;
};

export type AlertAddedData = IncidentEventBase & {
  dedupKey: string | null;
  summary: string;
  severity: Severity;
  source: string | null;
  links: IncidentLink[];
  details: Record<string, unknown> | null;
  alertCount: number;
};

export type IncidentAcknowledgedData = IncidentEventBase & { via: Channel; note: string | null };

export type IncidentResolvedData = IncidentEventBase & { via: Channel; note: string | null };

export type IncidentUpdatePostedData = IncidentEventBase & {
  message: string;
  links: IncidentLink[];
};

export type IncidentSeverityChangedData = IncidentEventBase & {
  from: Severity;
  to: Severity;
  reason: string | null;
};

export type IncidentAssignedData = IncidentEventBase & {
  assignee: string;
  previousAssignee: string | null;
};

export type IncidentAnalyzedData = IncidentEventBase & { verdict: IncidentVerdict };

export type IncidentEvent =
  | DomainEvent<'IncidentOpened', IncidentOpenedData>
  | DomainEvent<'AlertAdded', AlertAddedData>
  | DomainEvent<'IncidentAcknowledged', IncidentAcknowledgedData>
  | DomainEvent<'IncidentResolved', IncidentResolvedData>
  | DomainEvent<'IncidentUpdatePosted', IncidentUpdatePostedData>
  | DomainEvent<'IncidentSeverityChanged', IncidentSeverityChangedData>
  | DomainEvent<'IncidentAssigned', IncidentAssignedData>
  | DomainEvent<'IncidentAnalyzed', IncidentAnalyzedData>;

export type IncidentEventType = IncidentEvent['type'];

export const INCIDENT_EVENT_TYPES: IncidentEventType[] = [
  'IncidentOpened',
  'AlertAdded',
  'IncidentAcknowledged',
  'IncidentResolved',
  'IncidentUpdatePosted',
  'IncidentSeverityChanged',
  'IncidentAssigned',
  'IncidentAnalyzed',
];
