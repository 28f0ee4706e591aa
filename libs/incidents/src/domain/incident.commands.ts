import { Channel } from './incident.events';
import { IncidentKind, IncidentLink, Severity } from './incident';
import { IncidentVerdict } from './incident-analysis';

export type OpenIncident = {
  type: 'OpenIncident';
  incidentId: string;
  kind: IncidentKind;
  title: string;
  summary: string | null;
  severity: Severity;
  service: string | null;
  origin: 'alert' | 'manual';
  dedupKey: string | null;
  source: string | null;
  links: IncidentLink[];
  details: Record<string, unknown> | null;
};

export type AddAlert = {
  type: 'AddAlert';
  incidentId: string;
  dedupKey: string | null;
  summary: string;
  severity: Severity;
  source: string | null;
  links: IncidentLink[];
  details: Record<string, unknown> | null;
};

export type AcknowledgeIncident = {
  type: 'AcknowledgeIncident';
  incidentId: string;
  via: Channel;
  note: string | null;
};

export type ResolveIncident = {
  type: 'ResolveIncident';
  incidentId: string;
  via: Channel;
  note: string | null;
};

export type PostIncidentUpdate = {
  type: 'PostIncidentUpdate';
  incidentId: string;
  message: string;
  links: IncidentLink[];
};

export type ChangeIncidentSeverity = {
  type: 'ChangeIncidentSeverity';
  incidentId: string;
  severity: Severity;
  reason: string | null;
};

export type AssignIncident = { type: 'AssignIncident'; incidentId: string; assignee: string };

export type RecordIncidentAnalysis = {
  type: 'RecordIncidentAnalysis';
  incidentId: string;
  verdict: IncidentVerdict;
};

export type IncidentCommand =
  | OpenIncident
  | AddAlert
  | AcknowledgeIncident
  | ResolveIncident
  | PostIncidentUpdate
  | ChangeIncidentSeverity
  | AssignIncident
  | RecordIncidentAnalysis;
