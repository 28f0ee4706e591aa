import { ConflictError, NotFoundError, ValidationError } from '@observe/core';

import { deciderSpecification } from '../../on-call/domain/testing/decider-specification';
import { EscalationLevel } from './escalation-policy';
import { escalationPolicyDecider } from './escalation-policy.decider';
import { CreateEscalationPolicy, EscalationPolicyCommand } from './escalation-policy.commands';
import { EscalationPolicyCreated } from './escalation-policy.events';

const spec = deciderSpecification(escalationPolicyDecider);

const levels: EscalationLevel[] = [
  { delayMinutes: 15, targets: [{ kind: 'schedule', id: 'payments-primary' }] },
  { delayMinutes: 30, targets: [{ kind: 'person', id: 'lead-lee' }] },
];

const created: EscalationPolicyCreated = {
  type: 'EscalationPolicyCreated',
  data: { policyId: 'pol-1', name: 'Payments', levels, repeat: 0, services: ['checkout'] },
};

function create(data: Partial<CreateEscalationPolicy['data']>): EscalationPolicyCommand {
  return {
    type: 'CreateEscalationPolicy',
    data: { policyId: 'pol-1', name: 'Payments', levels, ...data },
  };
}

describe('CreateEscalationPolicy', () => {
  it('creates the policy, repeating nothing unless asked', () => {
    spec
      .given([])
      .when(create({ services: ['checkout', 'checkout'] }))
      .then([created]);
  });

  it('refuses an id already taken', () => {
    spec
      .given([created])
      .when(create({}))
      .then(ConflictError, /already exists/);
  });

  it.each([
    ['no levels', { levels: [] }],
    ['a level without targets', { levels: [{ delayMinutes: 5, targets: [] }] }],
    [
      'a zero delay',
      { levels: [{ delayMinutes: 0, targets: [{ kind: 'person' as const, id: 'a' }] }] },
    ],
    [
      'a target without id',
      { levels: [{ delayMinutes: 5, targets: [{ kind: 'person' as const, id: ' ' }] }] },
    ],
    ['more than nine repeats', { repeat: 10 }],
    ['a blank name', { name: '' }],
  ])('refuses %s', (_case, data) => {
    spec
      .given([])
      .when(create(data))
      .then(ValidationError, /not valid/);
  });
});

describe('UpdateEscalationPolicy', () => {
  it('changes the fields given and carries the policy as it is after', () => {
    spec
      .given([created])
      .when({ type: 'UpdateEscalationPolicy', data: { policyId: 'pol-1', repeat: 2 } })
      .then([
        {
          type: 'EscalationPolicyUpdated',
          data: { policyId: 'pol-1', name: 'Payments', levels, repeat: 2 },
        },
      ]);
  });

  it('records nothing when the update says what the policy already says', () => {
    const sameLevels = levels.map((level) => ({ ...level, targets: [...level.targets] }));

    spec
      .given([created])
      .when({ type: 'UpdateEscalationPolicy', data: { policyId: 'pol-1', levels: sameLevels } })
      .then([]);
  });

  it('refuses an update that names no field', () => {
    spec
      .given([created])
      .when({ type: 'UpdateEscalationPolicy', data: { policyId: 'pol-1' } })
      .then(ValidationError);
  });

  it('refuses levels that are not valid', () => {
    spec
      .given([created])
      .when({ type: 'UpdateEscalationPolicy', data: { policyId: 'pol-1', levels: [] } })
      .then(ValidationError);
  });

  it('refuses a policy that does not exist', () => {
    spec
      .given([])
      .when({ type: 'UpdateEscalationPolicy', data: { policyId: 'pol-1', repeat: 1 } })
      .then(NotFoundError, /pol-1/);
  });
});

describe('AttachPolicyToService', () => {
  it('attaches the policy to a service', () => {
    spec
      .given([created])
      .when({ type: 'AttachPolicyToService', data: { policyId: 'pol-1', serviceId: 'ledger' } })
      .then([
        { type: 'EscalationPolicyAttached', data: { policyId: 'pol-1', serviceId: 'ledger' } },
      ]);
  });

  it('records nothing for a service already attached', () => {
    spec
      .given([created])
      .when({ type: 'AttachPolicyToService', data: { policyId: 'pol-1', serviceId: 'checkout' } })
      .then([]);
  });

  it('refuses a policy that does not exist', () => {
    spec
      .given([])
      .when({ type: 'AttachPolicyToService', data: { policyId: 'pol-1', serviceId: 'ledger' } })
      .then(NotFoundError);
  });
});

describe('event payloads', () => {
  it('are plain JSON that survives the event store unchanged', () => {
    const events = escalationPolicyDecider.decide(
      escalationPolicyDecider.initialState,
      create({ repeat: 2 }),
      new Date('2026-03-01T12:00:00Z'),
    );
    const payloads: Array<Record<string, unknown>> = events.map((event) => event.data);

    expect(JSON.parse(JSON.stringify(payloads))).toEqual(payloads);
  });
});
