import { Decider } from '@observe/commands';
import { IllegalStateError, NotFoundError } from '@observe/core';

import {
  decideEscalationPolicy,
  EscalationPolicy,
  EscalationPolicyCommand,
  EscalationPolicyEvent,
  EscalationPolicyState,
  evolveEscalationPolicy,
  initialEscalationPolicyState,
} from './domain';

/**
 * A service follows one escalation policy: attaching it to another detaches
 * it from the first, which this command records on the first policy.
 */
export type DetachPolicyFromService = {
  type: 'DetachPolicyFromService';
  data: { policyId: string; serviceId: string };
};

export type EscalationPolicyDetached = {
  type: 'EscalationPolicyDetached';
  data: { policyId: string; serviceId: string };
};

export type PolicyCommand = EscalationPolicyCommand | DetachPolicyFromService;
export type PolicyEvent = EscalationPolicyEvent | EscalationPolicyDetached;

const DOMAIN_EVENT_TYPES = new Set<string>([
  'EscalationPolicyCreated',
  'EscalationPolicyUpdated',
  'EscalationPolicyAttached',
]);

export const POLICY_EVENT_TYPES = [...DOMAIN_EVENT_TYPES, 'EscalationPolicyDetached'];

export const policyAggregate: Decider<EscalationPolicyState, PolicyCommand, PolicyEvent> = {
  initialState: () => initialEscalationPolicyState,

  evolve(state, event) {
    if (event.type === 'EscalationPolicyDetached') {
      if (state.status === 'absent') return state;
      const services = state.policy.services.filter((id) => id !== event.data.serviceId);
      return { status: 'active', policy: { ...state.policy, services } };
    }
    if (!DOMAIN_EVENT_TYPES.has(event.type)) return state;
    return evolveEscalationPolicy(state, event);
  },

  decide(command, state, now) {
    if (command.type !== 'DetachPolicyFromService') {
      return decideEscalationPolicy(state, command, now);
    }
    const { policyId, serviceId } = command.data;
    if (state.status === 'absent') throw new NotFoundError('escalation policy', policyId);
    if (!state.policy.services.includes(serviceId)) return [];
    return [{ type: 'EscalationPolicyDetached', data: { policyId, serviceId } }];
  },
};

export function policyStream(policyId: string): string {
  return `escalation-policy-${policyId}`;
}

export function activePolicy(state: EscalationPolicyState): EscalationPolicy {
  if (state.status === 'absent') throw new IllegalStateError('the escalation policy has no events');
  return state.policy;
}
