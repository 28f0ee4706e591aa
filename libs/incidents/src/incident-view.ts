import { deepLinks } from '@observe/context-graph';
import { NotFoundError } from '@observe/core';

import {
  Incident,
  IncidentKind,
  IncidentLink,
  IncidentStatus,
  IncidentUpdate,
  Severity,
} from './domain/incident';
import { IncidentState } from './domain/incident.decider';

/** An incident as the API answers it, from the aggregate or from the read model alike. */
export type IncidentView = {
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
  source: string | null;
  links: IncidentLink[];
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
  lastUpdate: IncidentUpdate | null;
  analyzedAt: string | null;
  updatedAt: string;
  /** The sequence of the incident's latest event. */
  sequence: number;
  /** Where to read more; every URL answers 200. */
  urls: { self: string; product: string; timeline: string; analysis: string; blastRadius: string };
};

export function toIncidentView(incident: Incident): IncidentView {
  const link = deepLinks.incident(incident.id);
  return {
    id: incident.id,
    kind: incident.kind,
    title: incident.title,
    summary: incident.summary,
    status: incident.status,
    severity: incident.severity,
    service: incident.service,
    assignee: incident.assignee,
    alertCount: incident.alertCount,
    dedupKey: incident.dedupKey,
    source: incident.source,
    links: incident.links,
    openedAt: incident.openedAt,
    acknowledgedAt: incident.acknowledgedAt,
    resolvedAt: incident.resolvedAt,
    resolutionNote: incident.resolutionNote,
    lastUpdate: incident.lastUpdate,
    analyzedAt: incident.analyzedAt,
    updatedAt: incident.updatedAt,
    sequence: incident.sequence,
    urls: {
      self: link.api,
      product: link.product,
      timeline: `${link.api}/timeline`,
      analysis: `${link.api}/analysis`,
      blastRadius: `/api/v1/context/incident/${incident.id}/blast`,
    },
  };
}

export function viewOfState(state: IncidentState, incidentId: string): IncidentView {
  if (!state.incident) throw new NotFoundError('incident', incidentId);
  return toIncidentView(state.incident);
}
