import { Injectable } from '@nestjs/common';

import { deepLinks } from '@observe/context-graph';
import {
  AnalysisEvidence,
  Incident,
  IncidentVerdict,
  ProbableCause,
  SimilarIncident,
  SuggestedAction,
} from '@observe/incidents';

import {
  AnalysisContext,
  DeploymentInWindow,
  IncidentAnalyst,
  UpstreamIncident,
} from '../incident-analyst';

type Candidate = Omit<ProbableCause, 'rank'>;

/** Weight of a change by how far it sits from the incident's service (0 = the service itself). */
const DEPLOYMENT_WEIGHT = [0.75, 0.65, 0.5, 0.4];
const UPSTREAM_INCIDENT_WEIGHT = [0.7, 0.7, 0.55, 0.45];
const MAX_CAUSES = 5;

/**
 * The built-in analyst: ranks what changed or broke near the incident's
 * service shortly before it. A deployment weighs more the nearer it is in the
 * graph and in time; an open incident upstream weighs by its distance; a
 * repeat of a known incident and other alerts on the service weigh less.
 */
@Injectable()
export class RuleBasedAnalyst extends IncidentAnalyst {
  readonly name = 'rule-based';
  readonly version = '1.0.0';

  async analyze(context: AnalysisContext): Promise<IncidentVerdict> {
    const candidates: Candidate[] = [
      ...context.deployments.map((deployment) => deploymentCause(deployment, context)),
      ...context.upstreamIncidents.map(upstreamIncidentCause),
      ...recurringCause(context),
      ...ongoingIssueCause(context),
    ];
    const causes = candidates
      .sort((a, b) => b.confidence - a.confidence || a.title.localeCompare(b.title))
      .slice(0, MAX_CAUSES)
      .map((cause, index) => ({ rank: index + 1, ...cause }));

    return {
      status: 'complete',
      summary: summarize(context, causes),
      probableCauses: causes,
      suggestedActions: suggestActions(context, causes),
      similarIncidents: context.similarIncidents.map(similar),
      analyst: { name: this.name, version: this.version },
      lookbackMinutes: context.lookbackMinutes,
      failure: null,
    };
  }
}

function deploymentCause(deployment: DeploymentInWindow, context: AnalysisContext): Candidate {
  const weight = DEPLOYMENT_WEIGHT[Math.min(deployment.depth, DEPLOYMENT_WEIGHT.length - 1)];
  // A deployment just before the incident counts fully; one at the window's edge, half.
  const recency = 1 - 0.5 * Math.min(1, deployment.minutesBeforeIncident / context.lookbackMinutes);
  const where =
    deployment.depth === 0
      ? 'the incident’s own service'
      : `${deployment.depth === 1 ? 'a direct' : 'an indirect'} dependency`;
  return {
    kind: 'deployment',
    title:
      `Deployment of ${deployment.service} ${deployment.version} (${where}), ` +
      `${deployment.minutesBeforeIncident} min before the incident`,
    confidence: round(weight * recency),
    evidence: [
      {
        kind: 'deployment',
        id: deployment.id,
        description: `${deployment.service} ${deployment.version} deployed at ${deployment.at}`,
        link: deepLinks.deployment(deployment.service, deployment.id),
        eventId: deployment.evidence.eventId,
        position: deployment.evidence.position,
        at: deployment.at,
      },
      ...dependencyPath(context, deployment.service),
    ],
  };
}

function upstreamIncidentCause(upstream: UpstreamIncident): Candidate {
  const weight =
    UPSTREAM_INCIDENT_WEIGHT[Math.min(upstream.depth, UPSTREAM_INCIDENT_WEIGHT.length - 1)];
  const { incident } = upstream;
  return {
    kind: 'upstream_incident',
    title:
      `Open ${incident.severity} incident on ${incident.service}, a dependency: ` + incident.title,
    confidence: round(weight),
    evidence: [
      incidentEvidence(incident, `${incident.status} since ${incident.openedAt}`),
      {
        kind: 'dependency',
        id: `${upstream.via.from}->${upstream.via.to}`,
        description: `${upstream.via.from} depends on ${upstream.via.to}`,
        link: upstream.via.evidence.link,
        eventId: upstream.via.evidence.eventId,
        position: upstream.via.evidence.position,
        at: upstream.via.evidence.at,
      },
    ],
  };
}

function recurringCause(context: AnalysisContext): Candidate[] {
  const similarIncidents = context.similarIncidents;
  if (similarIncidents.length === 0) return [];

  const lastResolved = similarIncidents.find((incident) => incident.resolutionNote);
  const resolution = lastResolved ? `; last fixed by: ${lastResolved.resolutionNote}` : '';
  return [
    {
      kind: 'recurring_issue',
      title: `Known issue: ${similarIncidents.length} earlier incident(s) alike${resolution}`,
      confidence: round(Math.min(0.3 + 0.1 * similarIncidents.length, 0.6)),
      evidence: similarIncidents.map((incident) =>
        incidentEvidence(incident, `${incident.title} (${incident.status})`),
      ),
    },
  ];
}

function ongoingIssueCause(context: AnalysisContext): Candidate[] {
  const alerts = context.relatedAlerts;
  if (alerts.length === 0) return [];

  return [
    {
      kind: 'ongoing_service_issue',
      title: `${alerts.length} other alert(s) on ${context.incident.service} in the window`,
      confidence: 0.3,
      evidence: alerts.slice(0, 10).map((alert) => ({
        kind: 'alert',
        id: alert.eventId,
        description: `${alert.severity}: ${alert.summary}`,
        link: deepLinks.incident(alert.incidentId),
        eventId: alert.eventId,
        position: alert.position,
        at: alert.receivedAt,
      })),
    },
  ];
}

/** The dependency edges from the incident's service up to `service`, as evidence. */
function dependencyPath(context: AnalysisContext, service: string): AnalysisEvidence[] {
  const byTarget = new Map(context.upstream.map((upstream) => [upstream.id, upstream]));
  const path: AnalysisEvidence[] = [];
  let current = byTarget.get(service);
  while (current) {
    const { via } = current;
    path.unshift({
      kind: 'dependency',
      id: `${via.from}->${via.to}`,
      description: `${via.from} depends on ${via.to}`,
      link: via.evidence.link,
      eventId: via.evidence.eventId,
      position: via.evidence.position,
      at: via.evidence.at,
    });
    current = byTarget.get(via.from);
  }
  return path;
}

function incidentEvidence(incident: Incident, description: string): AnalysisEvidence {
  return {
    kind: 'incident',
    id: incident.id,
    description,
    link: deepLinks.incident(incident.id),
    eventId: null,
    position: null,
    at: incident.openedAt,
  };
}

function summarize(context: AnalysisContext, causes: ProbableCause[]): string {
  const scope = `${context.lookbackMinutes} minutes before the incident`;
  if (causes.length === 0) {
    return (
      `No deployment, upstream incident or recurring pattern found in the ${scope} on ` +
      `${context.incident.service ?? 'its service'} or its ${context.upstream.length} upstream ` +
      'dependencies.'
    );
  }
  const [top] = causes;
  const others = causes.length - 1;
  return (
    `Most likely: ${top.title} (confidence ${Math.round(top.confidence * 100)}%).` +
    (others > 0 ? ` ${others} other candidate cause(s) ranked below.` : '')
  );
}

function suggestActions(context: AnalysisContext, causes: ProbableCause[]): SuggestedAction[] {
  const actions: SuggestedAction[] = [];
  const [top] = causes;
  const topEvidence = top?.evidence[0];
  if (top?.kind === 'deployment' && topEvidence) {
    actions.push({
      action: `Review or roll back: ${topEvidence.description}`,
      reason: 'The most likely cause is this deployment.',
      link: topEvidence.link,
    });
  }
  if (top?.kind === 'upstream_incident' && topEvidence) {
    actions.push({
      action: 'Coordinate with the responders of the upstream incident',
      reason: topEvidence.description,
      link: topEvidence.link,
    });
  }

  const fixed = context.similarIncidents.find((incident) => incident.resolutionNote);
  if (fixed) {
    actions.push({
      action: `Try what fixed "${fixed.title}": ${fixed.resolutionNote}`,
      reason: 'A similar incident on this service was resolved this way.',
      link: deepLinks.incident(fixed.id),
    });
  }
  for (const owner of context.owners) {
    actions.push({
      action: `Involve ${owner.team.name}, owner of ${owner.service}`,
      reason: 'The owning team knows the service and its recent changes.',
      link: owner.team.link,
    });
  }

  const incident = deepLinks.incident(context.incident.id);
  actions.push({
    action: 'Check the blast radius for impacted services and their owners',
    reason: 'Dependents of the service may fail too.',
    link: {
      api: `/api/v1/context/incident/${context.incident.id}/blast`,
      product: `${incident.product}/blast-radius`,
    },
  });
  if (context.incident.status === 'triggered') {
    actions.push({
      action: 'Acknowledge the incident once someone is on it',
      reason: 'It is still unacknowledged.',
      link: incident,
    });
  }
  return actions;
}

function similar(incident: Incident): SimilarIncident {
  return {
    incidentId: incident.id,
    title: incident.title,
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    resolutionNote: incident.resolutionNote,
    link: deepLinks.incident(incident.id),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
