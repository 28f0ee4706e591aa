import { NotFoundError } from '@observe/core';

import { policyAggregate, PolicyEvent } from './escalation-policy.aggregate';

const created: PolicyEvent = {
  type: 'EscalationPolicyCreated',
  data: {
    policyId: 'p-1',
    name: 'Payments',
    levels: [{ delayMinutes: 10, targets: [{ kind: 'person', id: 'ana' }] }],
    repeat: 0,
    services: ['payments-api', 'ledger'],
  },
};

const fold = (events: PolicyEvent[]) =>
  events.reduce(policyAggregate.evolve, policyAggregate.initialState());
const now = new Date('2026-03-01T12:00:00Z');

describe('escalation policy aggregate', () => {
  it('detaches a service it has, and nothing else', () => {
    const detach = {
      type: 'DetachPolicyFromService' as const,
      data: { policyId: 'p-1', serviceId: 'ledger' },
    };

    const events = policyAggregate.decide(detach, fold([created]), now);
    const again = policyAggregate.decide(detach, fold([created, ...events]), now);

    expect(events).toEqual([{ type: 'EscalationPolicyDetached', data: detach.data }]);
    expect(again).toEqual([]);
    const state = fold([created, ...events]);
    expect(state.status === 'active' && state.policy.services).toEqual(['payments-api']);
  });

  it('refuses to detach from a policy that does not exist', () => {
    const detach = {
      type: 'DetachPolicyFromService' as const,
      data: { policyId: 'p-2', serviceId: 'x' },
    };

    expect(() => policyAggregate.decide(detach, fold([]), now)).toThrow(NotFoundError);
  });

  it('passes the domain commands through, and attaches a detached service again', () => {
    const detached: PolicyEvent = {
      type: 'EscalationPolicyDetached',
      data: { policyId: 'p-1', serviceId: 'ledger' },
    };
    const attach = {
      type: 'AttachPolicyToService' as const,
      data: { policyId: 'p-1', serviceId: 'ledger' },
    };

    expect(policyAggregate.decide(attach, fold([created]), now)).toEqual([]);
    expect(policyAggregate.decide(attach, fold([created, detached]), now)).toEqual([
      { type: 'EscalationPolicyAttached', data: attach.data },
    ]);
  });
});
