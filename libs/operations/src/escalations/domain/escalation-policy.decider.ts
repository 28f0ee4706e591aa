import { ConflictError, NotFoundError } from '@observe/core';

import { FieldErrors, checkText } from '../../on-call/domain/field-errors';
import { EscalationLevel, EscalationPolicy } from './escalation-policy';
import {
  AttachPolicyToService,
  CreateEscalationPolicy,
  EscalationPolicyCommand,
  UpdateEscalationPolicy,
} from './escalation-policy.commands';
import { EscalationPolicyEvent } from './escalation-policy.events';
import { checkLevels, checkRepeat } from './escalation-policy.validation';

export type EscalationPolicyState =
  { status: 'absent' } | { status: 'active'; policy: EscalationPolicy };

type ActivePolicy = Extract<EscalationPolicyState, { status: 'active' }>;

export const initialEscalationPolicyState: EscalationPolicyState = { status: 'absent' };

export function decideEscalationPolicy(
  state: EscalationPolicyState,
  command: EscalationPolicyCommand,
  _now: Date,
): EscalationPolicyEvent[] {
  if (command.type === 'CreateEscalationPolicy') {
    return createPolicy(state, command);
  }

  if (state.status === 'absent') {
    throw new NotFoundError('escalation policy', command.data.policyId);
  }
  switch (command.type) {
    case 'UpdateEscalationPolicy':
      return updatePolicy(state, command);
    case 'AttachPolicyToService':
      return attachPolicy(state, command);
  }
}

export function evolveEscalationPolicy(
  state: EscalationPolicyState,
  event: EscalationPolicyEvent,
): EscalationPolicyState {
  if (event.type === 'EscalationPolicyCreated') {
    const { policyId, name, levels, repeat, services } = event.data;
    return { status: 'active', policy: { id: policyId, name, levels, repeat, services } };
  }
  if (state.status === 'absent') {
    return state;
  }

  const { policy } = state;
  switch (event.type) {
    case 'EscalationPolicyUpdated': {
      const { name, levels, repeat } = event.data;
      return { status: 'active', policy: { ...policy, name, levels, repeat } };
    }
    case 'EscalationPolicyAttached':
      return {
        status: 'active',
        policy: { ...policy, services: [...policy.services, event.data.serviceId] },
      };
  }
}

export const escalationPolicyDecider = {
  decide: decideEscalationPolicy,
  evolve: evolveEscalationPolicy,
  initialState: initialEscalationPolicyState,
};

function createPolicy(
  state: EscalationPolicyState,
  command: CreateEscalationPolicy,
): EscalationPolicyEvent[] {
  const { policyId, name, levels, repeat = 0, services = [] } = command.data;
  if (state.status === 'active') {
    throw new ConflictError(`escalation policy ${policyId} already exists`, { policyId });
  }

  const errors = new FieldErrors();
  checkText(errors, 'policyId', policyId);
  checkText(errors, 'name', name);
  checkLevels(errors, levels);
  checkRepeat(errors, repeat);
  services.forEach((service, index) => checkText(errors, `services[${index}]`, service));
  errors.throwIfAny('the escalation policy is not valid');

  const distinctServices = [...new Set(services)];
  return [
    {
      type: 'EscalationPolicyCreated',
      data: { policyId, name, levels, repeat, services: distinctServices },
    },
  ];
}

function updatePolicy(
  state: ActivePolicy,
  command: UpdateEscalationPolicy,
): EscalationPolicyEvent[] {
  const { policy } = state;
  const {
    policyId,
    name = policy.name,
    levels = policy.levels,
    repeat = policy.repeat,
  } = command.data;

  const errors = new FieldErrors();
  const given = [command.data.name, command.data.levels, command.data.repeat];
  if (given.every((field) => field === undefined)) {
    errors.add('policyId', 'give at least one of name, levels or repeat to change');
  }
  checkText(errors, 'name', name);
  checkLevels(errors, levels);
  checkRepeat(errors, repeat);
  errors.throwIfAny('the escalation policy update is not valid');

  // Saying again what the policy already says changes nothing, so a retry is harmless.
  if (name === policy.name && repeat === policy.repeat && sameLevels(levels, policy.levels)) {
    return [];
  }
  return [{ type: 'EscalationPolicyUpdated', data: { policyId, name, levels, repeat } }];
}

function attachPolicy(
  state: ActivePolicy,
  command: AttachPolicyToService,
): EscalationPolicyEvent[] {
  const { policyId, serviceId } = command.data;
  const errors = new FieldErrors();
  checkText(errors, 'serviceId', serviceId);
  errors.throwIfAny('the service to attach is not valid');

  if (state.policy.services.includes(serviceId)) {
    return [];
  }
  return [{ type: 'EscalationPolicyAttached', data: { policyId, serviceId } }];
}

function sameLevels(left: EscalationLevel[], right: EscalationLevel[]): boolean {
  return (
    left.length === right.length &&
    left.every(
      (level, index) =>
        level.delayMinutes === right[index].delayMinutes &&
        level.targets.length === right[index].targets.length &&
        level.targets.every(
          (target, targetIndex) =>
            target.kind === right[index].targets[targetIndex].kind &&
            target.id === right[index].targets[targetIndex].id,
        ),
    )
  );
}
