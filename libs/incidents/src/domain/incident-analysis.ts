/**
 * The analyst's verdict as it is stored in `IncidentAnalyzed`. It lives with
 * the incident because the event sits on the incident's stream; analysts
 * (rule-based or model-backed) produce it.
 */

/** Where a piece of evidence can be read again: an API URL and a product path. */
export type EvidenceLink = { api: string; product: string };

export type AnalysisEvidence = {
  kind: 'deployment' | 'incident' | 'alert' | 'dependency' | 'service';
  id: string;
  description: string;
  link: EvidenceLink;
  /** The event the evidence came from, when there is one. */
  eventId: string | null;
  position: string | null;
  at: string | null;
};

export type ProbableCauseKind =
  'deployment' | 'upstream_incident' | 'recurring_issue' | 'ongoing_service_issue';

export type ProbableCause = {
  rank: number;
  kind: ProbableCauseKind;
  title: string;
  /** From 0 to 1; how much weight the analyst puts on this cause. */
  confidence: number;
  evidence: AnalysisEvidence[];
};

export type SuggestedAction = { action: string; reason: string; link: EvidenceLink | null };

export type SimilarIncident = {
  incidentId: string;
  title: string;
  openedAt: string;
  resolvedAt: string | null;
  resolutionNote: string | null;
  link: EvidenceLink;
};

export type IncidentVerdict = {
  /** `failed` when the analyst could not produce a verdict; `failure` says why. */
  status: 'complete' | 'failed';
  summary: string;
  probableCauses: ProbableCause[];
  suggestedActions: SuggestedAction[];
  similarIncidents: SimilarIncident[];
  analyst: { name: string; version: string };
  lookbackMinutes: number;
  failure: string | null;
};
