import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { ServiceDirectory } from '@observe/context-graph';
import { NotFoundError } from '@observe/core';

import { EscalationLevel, EscalationPolicy } from '../domain';
import {
  activePolicy,
  policyAggregate,
  PolicyCommand,
  policyStream,
} from '../escalation-policy.aggregate';
import { EscalationPolicyQueries } from '../read-model/escalation-policy.queries';

export interface CreatePolicyInput {
  name: string;
  levels: EscalationLevel[];
  repeat?: number;
  services?: string[];
}

export interface UpdatePolicyInput {
  name?: string;
  levels?: EscalationLevel[];
  repeat?: number;
}

/**
 * Escalation policies as evented commands. A service follows one policy:
 * attaching it elsewhere detaches it from the old one in the same
 * transaction. There is no delete; a policy no service follows does nothing.
 */
@Injectable()
export class PolicyCommandsHandler {
  private readonly logger = new Logger(PolicyCommandsHandler.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly services: ServiceDirectory,
    private readonly queries: EscalationPolicyQueries,
  ) {}

  async create(input: CreatePolicyInput): Promise<EscalationPolicy> {
    const policyId = randomUUID();
    const services = [...new Set(input.services ?? [])];
    for (const serviceId of services) await this.releaseService(serviceId, policyId);

    const policy = await this.handle({
      type: 'CreateEscalationPolicy',
      data: { policyId, name: input.name, levels: input.levels, repeat: input.repeat, services },
    });
    this.logger.log({ msg: 'escalation policy created', policyId, services });
    return policy;
  }

  async update(policyId: string, input: UpdatePolicyInput): Promise<EscalationPolicy> {
    const policy = await this.handle({
      type: 'UpdateEscalationPolicy',
      data: { policyId, ...input },
    });
    this.logger.log({ msg: 'escalation policy updated', policyId });
    return policy;
  }

  async attach(policyId: string, serviceId: string): Promise<EscalationPolicy> {
    await this.releaseService(serviceId, policyId);

    const policy = await this.handle({
      type: 'AttachPolicyToService',
      data: { policyId, serviceId },
    });
    this.logger.log({ msg: 'escalation policy attached', policyId, serviceId });
    return policy;
  }

  async detach(policyId: string, serviceId: string): Promise<EscalationPolicy> {
    const policy = await this.handle({
      type: 'DetachPolicyFromService',
      data: { policyId, serviceId },
    });
    this.logger.log({ msg: 'escalation policy detached', policyId, serviceId });
    return policy;
  }

  /** Checks the service exists and detaches it from any other policy it follows. */
  private async releaseService(serviceId: string, newPolicyId: string): Promise<void> {
    if (!(await this.services.find(serviceId))) throw new NotFoundError('service', serviceId);

    const current = await this.queries.forService(serviceId);
    if (current && current.id !== newPolicyId) {
      await this.handle({
        type: 'DetachPolicyFromService',
        data: { policyId: current.id, serviceId },
      });
      this.logger.log({
        msg: 'service moved to another escalation policy',
        serviceId,
        from: current.id,
        to: newPolicyId,
      });
    }
  }

  private async handle(command: PolicyCommand): Promise<EscalationPolicy> {
    const handled = await this.aggregates.handle(
      policyStream(command.data.policyId),
      policyAggregate,
      command,
    );
    return activePolicy(handled.state);
  }
}
