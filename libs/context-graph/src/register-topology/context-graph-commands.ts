import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { Clock, IllegalStateError, NotFoundError } from '@observe/core';

import { serviceStreamId, teamStreamId } from '../domain/identifiers';
import { serviceDecider } from '../domain/service.decider';
import { TeamMember, teamDecider } from '../domain/team.decider';

export type RegisterTeamInput = { id: string; name: string; members: TeamMember[] };
export type RegisterServiceInput = { id: string; name: string; ownerTeam: string; tier: number };
export type RecordDeploymentInput = {
  service: string;
  version: string;
  at?: string | null;
  link?: string | null;
};

export type TeamRecord = { id: string; name: string; members: TeamMember[] };
export type ServiceRecord = {
  id: string;
  name: string;
  ownerTeam: string;
  tier: number;
  dependsOn: string[];
};
export type DeploymentRecord = {
  id: string;
  service: string;
  version: string;
  at: string;
  link: string | null;
};

/**
 * The context graph's write side, for the HTTP API and for modules in the
 * same process (the demo seeder, importers). Needs a command context.
 */
@Injectable()
export class ContextGraphCommands {
  private readonly logger = new Logger(ContextGraphCommands.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly clock: Clock,
  ) {}

  async registerTeam(input: RegisterTeamInput): Promise<TeamRecord> {
    const handled = await this.aggregates.handle(teamStreamId(input.id), teamDecider, {
      type: 'RegisterTeam',
      teamId: input.id,
      name: input.name,
      members: input.members,
    });
    const team = registered(handled.state.team, 'team', input.id);
    if (handled.result) this.logger.log({ msg: 'team registered', teamId: input.id });
    return { id: team.teamId, name: team.name, members: team.members };
  }

  async registerService(input: RegisterServiceInput): Promise<ServiceRecord> {
    await this.requireTeam(input.ownerTeam);

    const handled = await this.aggregates.handle(serviceStreamId(input.id), serviceDecider, {
      type: 'RegisterService',
      serviceId: input.id,
      name: input.name,
      ownerTeam: input.ownerTeam,
      tier: input.tier,
    });
    const service = registered(handled.state.service, 'service', input.id);
    if (handled.result) this.logger.log({ msg: 'service registered', serviceId: input.id });
    return {
      id: service.serviceId,
      name: service.name,
      ownerTeam: service.ownerTeam,
      tier: service.tier,
      dependsOn: handled.state.dependsOn,
    };
  }

  /** `from` depends on `to`; both must be registered. Declaring it again changes nothing. */
  async declareDependency(input: {
    from: string;
    to: string;
  }): Promise<{ from: string; to: string }> {
    await this.requireService(input.to);

    const handled = await this.aggregates.handle(serviceStreamId(input.from), serviceDecider, {
      type: 'DeclareDependency',
      from: input.from,
      to: input.to,
    });
    if (handled.result)
      this.logger.log({ msg: 'dependency declared', from: input.from, to: input.to });
    return { from: input.from, to: input.to };
  }

  async recordDeployment(input: RecordDeploymentInput): Promise<DeploymentRecord> {
    const deploymentId = randomUUID();
    const deployedAt = new Date(input.at ?? this.clock.now()).toISOString();

    await this.aggregates.handle(serviceStreamId(input.service), serviceDecider, {
      type: 'RecordDeployment',
      deploymentId,
      serviceId: input.service,
      version: input.version,
      deployedAt,
      link: input.link ?? null,
    });
    this.logger.log({
      msg: 'deployment recorded',
      serviceId: input.service,
      deploymentId,
      version: input.version,
    });
    return {
      id: deploymentId,
      service: input.service,
      version: input.version,
      at: deployedAt,
      link: input.link ?? null,
    };
  }

  private async requireTeam(teamId: string): Promise<void> {
    const { state } = await this.aggregates.load(teamStreamId(teamId), teamDecider);
    if (!state.team) throw new NotFoundError('team', teamId);
  }

  private async requireService(serviceId: string): Promise<void> {
    const { state } = await this.aggregates.load(serviceStreamId(serviceId), serviceDecider);
    if (!state.service) throw new NotFoundError('service', serviceId);
  }
}

/** After a registration the aggregate holds the entity; anything else is a bug. */
function registered<T>(value: T | null, what: string, id: string): T {
  if (value === null) throw new IllegalStateError(`${what} ${id} was not registered`);
  return value;
}
