import { Decider, DomainEvent } from '@observe/commands';
import { NotFoundError, ValidationError } from '@observe/core';

import { sameData } from './same-data';

export type ServiceRegisteredData = {
  serviceId: string;
  name: string;
  ownerTeam: string;
  /** 0 is the most critical. */
  tier: number;
};

/** `from` depends on `to`: when `to` fails, `from` may fail too. */
export type DependencyDeclaredData = { from: string; to: string };

export type DeploymentRecordedData = {
  deploymentId: string;
  serviceId: string;
  version: string;
  deployedAt: string;
  link: string | null;
};

export type ServiceEvent =
  | DomainEvent<'ServiceRegistered', ServiceRegisteredData>
  | DomainEvent<'DependencyDeclared', DependencyDeclaredData>
  | DomainEvent<'DeploymentRecorded', DeploymentRecordedData>;

export type ServiceCommand =
  | ({ type: 'RegisterService' } & ServiceRegisteredData)
  | ({ type: 'DeclareDependency' } & DependencyDeclaredData)
  | ({ type: 'RecordDeployment' } & DeploymentRecordedData);

export interface ServiceState {
  service: ServiceRegisteredData | null;
  dependsOn: string[];
}

/** A service's stream holds its registration, what it depends on and its deployments. */
export const serviceDecider: Decider<ServiceState, ServiceCommand, ServiceEvent> = {
  initialState: () => ({ service: null, dependsOn: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'ServiceRegistered':
        return { ...state, service: event.data };
      case 'DependencyDeclared':
        return { ...state, dependsOn: [...state.dependsOn, event.data.to] };
      case 'DeploymentRecorded':
        return state;
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterService': {
        const data: ServiceRegisteredData = {
          serviceId: command.serviceId,
          name: command.name,
          ownerTeam: command.ownerTeam,
          tier: command.tier,
        };
        // Registering again updates; the same registration again changes nothing.
        if (state.service && sameData(state.service, data)) return [];
        return [{ type: 'ServiceRegistered', data }];
      }

      case 'DeclareDependency':
        if (!state.service) throw new NotFoundError('service', command.from);
        if (command.from === command.to) {
          throw new ValidationError('a service cannot depend on itself', [
            { field: 'to', message: 'must differ from from' },
          ]);
        }
        if (state.dependsOn.includes(command.to)) return [];
        return [{ type: 'DependencyDeclared', data: { from: command.from, to: command.to } }];

      case 'RecordDeployment': {
        if (!state.service) throw new NotFoundError('service', command.serviceId);
        const data: DeploymentRecordedData = {
          deploymentId: command.deploymentId,
          serviceId: command.serviceId,
          version: command.version,
          deployedAt: command.deployedAt,
          link: command.link,
        };
        return [{ type: 'DeploymentRecorded', data }];
      }
    }
  },
};
