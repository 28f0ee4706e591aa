import { Inject, Injectable } from '@nestjs/common';

import { ENVIRONMENT, Environment } from '@observe/config';
import { ContextGraphReader } from '@observe/context-graph';
import { IncidentOpenedData, IncidentReader } from '@observe/incidents';

import { AnalysisContext, DeploymentInWindow } from '../incident-analyst';

/** How far up the dependency graph the analyst looks for causes. */
const UPSTREAM_DEPTH = 4;

/**
 * Gathers what the analyst weighs, from the read models, for one opened
 * incident. The window ends at the incident's opening (not at "now"), so
 * the same incident always gets the same context once the models caught up.
 */
@Injectable()
export class AnalysisContextBuilder {
  constructor(
    private readonly graph: ContextGraphReader,
    private readonly incidents: IncidentReader,
    @Inject(ENVIRONMENT) private readonly environment: Environment,
  ) {}

  async build(opened: IncidentOpenedData): Promise<AnalysisContext> {
    const lookbackMinutes = this.environment.ANALYST_LOOKBACK_MINUTES;
    const to = new Date(opened.at);
    const from = new Date(to.getTime() - lookbackMinutes * 60_000);
    const service = opened.service;

    const upstream = service ? await this.graph.upstreamOf(service, UPSTREAM_DEPTH) : [];
    const depthOf = new Map<string, number>(upstream.map((node) => [node.id, node.depth]));
    if (service) depthOf.set(service, 0);

    const deployments: DeploymentInWindow[] = (
      await this.graph.deploymentsOf([...depthOf.keys()], from, to)
    ).map((deployment) => ({
      ...deployment,
      depth: depthOf.get(deployment.service) ?? 0,
      minutesBeforeIncident: Math.round((to.getTime() - Date.parse(deployment.at)) / 60_000),
    }));

    const upstreamIds = upstream.map((node) => node.id);
    const openUpstream = await this.incidents.openOn(upstreamIds, opened.at, opened.incidentId);
    const byId = new Map(upstream.map((node) => [node.id, node]));
    const current = await this.incidents.find(opened.incidentId);

    return {
      incident: {
        id: opened.incidentId,
        title: opened.title,
        kind: opened.kind,
        service,
        severity: opened.severity,
        fingerprint: opened.fingerprint,
        openedAt: opened.at,
        status: current?.status ?? null,
      },
      lookbackMinutes,
      window: { from: from.toISOString(), to: to.toISOString() },
      owners: service ? await this.graph.ownersOf([service]) : [],
      upstream,
      deployments,
      upstreamIncidents: openUpstream.flatMap((incident) => {
        const node = incident.service ? byId.get(incident.service) : undefined;
        return node ? [{ incident, depth: node.depth, via: node.via }] : [];
      }),
      relatedAlerts: service
        ? await this.incidents.alertsOn(service, from.toISOString(), opened.at, opened.incidentId)
        : [],
      similarIncidents: await this.incidents.similar({
        id: opened.incidentId,
        service,
        fingerprint: opened.fingerprint,
        openedAt: opened.at,
      }),
    };
  }
}
