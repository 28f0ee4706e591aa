import { NotFoundError, ValidationError } from '@observe/core';

// The generic given/when/then helper lives with the incidents tests.
import { deciderSpecification } from '../../../incidents/src/testing/decider-specification';
import { sameData } from './same-data';
import { serviceDecider, ServiceEvent } from './service.decider';
import { teamDecider } from './team.decider';

const serviceRegistered = (ownerTeam = 'payments'): ServiceEvent => ({
  type: 'ServiceRegistered',
  data: { serviceId: 'payments-api', name: 'Payments API', ownerTeam, tier: 1 },
});

describe('team decider', () => {
  const spec = deciderSpecification(teamDecider);
  const register = {
    type: 'RegisterTeam' as const,
    teamId: 'payments',
    name: 'Payments',
    members: [{ id: 'alice', name: 'Alice', email: null }],
  };

  it('registers a team with its members', () => {
    spec
      .given([])
      .when(register)
      .then([
        {
          type: 'TeamRegistered',
          data: { teamId: 'payments', name: 'Payments', members: register.members },
        },
      ]);
  });

  it('writes nothing when registered again unchanged, and a new registration when changed', () => {
    const data = { teamId: register.teamId, name: register.name, members: register.members };
    const registered = { type: 'TeamRegistered' as const, data };

    spec.given([registered]).when(register).then([]);
    spec
      .given([registered])
      .when({ ...register, members: [] })
      .then([{ type: 'TeamRegistered', data: { ...data, members: [] } }]);
  });

  it('refuses a member listed twice', () => {
    spec
      .given([])
      .when({ ...register, members: [register.members[0], register.members[0]] })
      .thenRefuses(ValidationError);
  });
});

describe('service decider', () => {
  const spec = deciderSpecification(serviceDecider);

  it('updates a service registered again with another owner', () => {
    spec
      .given([serviceRegistered()])
      .when({
        type: 'RegisterService',
        serviceId: 'payments-api',
        name: 'Payments API',
        ownerTeam: 'core',
        tier: 1,
      })
      .then([serviceRegistered('core')]);
  });

  it('declares a dependency once', () => {
    const declare = { type: 'DeclareDependency' as const, from: 'payments-api', to: 'ledger' };
    const declared: ServiceEvent = {
      type: 'DependencyDeclared',
      data: { from: 'payments-api', to: 'ledger' },
    };

    spec.given([serviceRegistered()]).when(declare).then([declared]);
    spec.given([serviceRegistered(), declared]).when(declare).then([]);
  });

  it('refuses a dependency on itself, or from a service never registered', () => {
    spec
      .given([serviceRegistered()])
      .when({ type: 'DeclareDependency', from: 'payments-api', to: 'payments-api' })
      .thenRefuses(ValidationError);
    spec
      .given([])
      .when({ type: 'DeclareDependency', from: 'payments-api', to: 'ledger' })
      .thenRefuses(NotFoundError);
  });

  it('records a deployment of a registered service only', () => {
    const deployment = {
      deploymentId: '6f1d1f8e-1f8a-4c55-9d0c-3b8f0a8f3e11',
      serviceId: 'payments-api',
      version: '1.4.2',
      deployedAt: '2026-03-01T11:50:00.000Z',
      link: null,
    };

    spec
      .given([serviceRegistered()])
      .when({ type: 'RecordDeployment', ...deployment })
      .then([{ type: 'DeploymentRecorded', data: deployment }]);
    spec
      .given([])
      .when({ type: 'RecordDeployment', ...deployment })
      .thenRefuses(NotFoundError);
  });
});

describe('sameData', () => {
  it('ignores key order but not array order', () => {
    expect(sameData({ a: 1, b: [{ x: 1, y: 2 }] }, { b: [{ y: 2, x: 1 }], a: 1 })).toBe(true);
    expect(sameData({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});
