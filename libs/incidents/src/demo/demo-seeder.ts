import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository, CommandContexts } from '@observe/commands';
import { ContextGraphCommands, serviceDecider, serviceStreamId } from '@observe/context-graph';
import { Clock } from '@observe/core';
import { ProjectionRunner } from '@observe/projections';

import { IncidentCommands } from '../incident-commands';
import { DEMO_DEPENDENCIES, DEMO_DEPLOYMENTS, DEMO_SERVICES, DEMO_TEAMS } from './demo-topology';

export type DemoSeedResult =
  | { seeded: true; services: number; teams: number; incidentId: string | null }
  | { seeded: false; reason: string };

const MARKER_SERVICE = 'checkout';

/**
 * Seeds a small realistic topology and triggers one alert, so a new install
 * has an incident, a verdict and a blast radius to look at. Seeds once: a
 * database that already has the demo's services is left alone.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly graph: ContextGraphCommands,
    private readonly aggregates: AggregateRepository,
    private readonly incidents: IncidentCommands,
    private readonly projections: ProjectionRunner,
    private readonly clock: Clock,
  ) {}

  async seed(): Promise<DemoSeedResult> {
    // The event stream, not the read model: a rebuilding graph must not seed twice.
    const marker = await this.aggregates.load(serviceStreamId(MARKER_SERVICE), serviceDecider);
    if (marker.state.service) {
      this.logger.log({ msg: 'demo data already present; nothing seeded' });
      return { seeded: false, reason: `service ${MARKER_SERVICE} already exists` };
    }

    return CommandContexts.run(CommandContexts.system('demo-seeder'), async () => {
      for (const team of DEMO_TEAMS) await this.graph.registerTeam(team);
      for (const service of DEMO_SERVICES) await this.graph.registerService(service);
      for (const [from, to] of DEMO_DEPENDENCIES) await this.graph.declareDependency({ from, to });

      const now = this.clock.now().getTime();
      for (const deployment of DEMO_DEPLOYMENTS) {
        await this.graph.recordDeployment({
          service: deployment.service,
          version: deployment.version,
          at: new Date(now - deployment.minutesAgo * 60_000).toISOString(),
          link: `https://github.com/example/${deployment.service}/releases/v${deployment.version}`,
        });
      }

      // Alerts are checked against the graph's read model: let it catch up first.
      await this.waitForGraph();
      const triggered = await this.incidents.ingestAlert({
        service: 'checkout',
        action: 'trigger',
        dedupKey: 'checkout-5xx-rate',
        summary: 'Checkout 5xx rate above 5% for 5 minutes',
        severity: 'critical',
        source: 'prometheus',
        links: [{ href: 'https://grafana.example.com/d/checkout', text: 'Checkout dashboard' }],
        details: { rate: 0.063, threshold: 0.05, window: '5m' },
      });

      this.logger.log({ msg: 'demo data seeded', incidentId: triggered.incidentId });
      return {
        seeded: true,
        services: DEMO_SERVICES.length,
        teams: DEMO_TEAMS.length,
        incidentId: triggered.incidentId,
      };
    });
  }

  private async waitForGraph(): Promise<void> {
    const produced = CommandContexts.current()?.produced ?? [];
    const last = produced[produced.length - 1];
    if (!last) return;
    const caughtUp = await this.projections.waitForPosition(last.position, {
      projections: ['context-graph'],
      timeoutMs: 60_000,
    });
    if (!caughtUp) {
      this.logger.warn({ msg: 'context graph still behind after 60 s; the demo alert may 404' });
    }
  }
}
