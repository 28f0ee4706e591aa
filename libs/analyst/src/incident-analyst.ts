import { DeploymentView, ServiceOwner, UpstreamService } from '@observe/context-graph';
import { AlertRecord, Incident, IncidentVerdict, Severity } from '@observe/incidents';

/** The incident being analysed, from its IncidentOpened event. */
export type AnalysedIncident = {
  id: string;
  title: string;
  kind: string;
  service: string | null;
  severity: Severity;
  fingerprint: string;
  openedAt: string;
  status: Incident['status'] | null;
};

export type DeploymentInWindow = DeploymentView & {
  /** 0: the incident's own service; 1: a direct dependency; and so on. */
  depth: number;
  minutesBeforeIncident: number;
};

export type UpstreamIncident = { incident: Incident; depth: number; via: UpstreamService['via'] };

/**
 * Everything the analyst may use, gathered from the context graph and the
 * incident history before it runs: an analyst itself needs no database.
 */
export type AnalysisContext = {
  incident: AnalysedIncident;
  lookbackMinutes: number;
  window: { from: string; to: string };
  owners: ServiceOwner[];
  upstream: UpstreamService[];
  deployments: DeploymentInWindow[];
  upstreamIncidents: UpstreamIncident[];
  /** Alerts on the same service in the window that went to other incidents. */
  relatedAlerts: AlertRecord[];
  /** Earlier incidents of the service with the same alert fingerprint, newest first. */
  similarIncidents: Incident[];
};

/**
 * The analyst port. The built-in one is rule-based and needs no network; a
 * model-backed analyst can be provided instead (AnalystModule options). It
 * may throw a RetriableError for a transient failure; the worker retries.
 */
export abstract class IncidentAnalyst {
  abstract readonly name: string;
  abstract readonly version: string;
  abstract analyze(context: AnalysisContext): Promise<IncidentVerdict>;
}
