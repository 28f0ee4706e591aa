import { ConflictError, IllegalStateError, NotFoundError } from '@observe/core';

import { SubscriptionCommand } from './subscription.commands';
import { subscriptionDecider } from './subscription.decider';
import { SubscriptionEvent } from './subscription.events';

const ID = '5d0c3a8e-2f4b-4f61-9a57-0e8d1c2b3a40';

function given(history: SubscriptionEvent[]) {
  const state = history.reduce(subscriptionDecider.evolve, subscriptionDecider.initialState());
  return {
    when: (command: SubscriptionCommand) => () =>
      subscriptionDecider.decide(command, state, new Date('2026-03-01T12:00:00Z')),
  };
}

const created: SubscriptionEvent = {
  type: 'SubscriptionCreated',
  data: {
    subscriptionId: ID,
    url: 'https://hooks.example.com/in',
    eventTypes: ['incident.opened'],
    description: null,
    encryptedSecret: 'v1:abcd:sealed',
  },
};
const paused: SubscriptionEvent = {
  type: 'SubscriptionPaused',
  data: { subscriptionId: ID, reason: null },
};
const disabled: SubscriptionEvent = {
  type: 'SubscriptionDisabled',
  data: { subscriptionId: ID, reason: 'gone', detail: 'HTTP 410', failingSince: null },
};
const deleted: SubscriptionEvent = { type: 'SubscriptionDeleted', data: { subscriptionId: ID } };

describe('subscriptionDecider', () => {
  it('creates a subscription once', () => {
    const create = { type: 'CreateSubscription' as const, ...created.data };

    expect(given([]).when(create)()).toEqual([created]);
    expect(given([created]).when(create)).toThrow(ConflictError);
  });

  it('pauses an active subscription, and pausing again writes nothing', () => {
    const pause = { type: 'PauseSubscription' as const, subscriptionId: ID, reason: 'maintenance' };

    expect(given([created]).when(pause)()).toEqual([
      { type: 'SubscriptionPaused', data: { subscriptionId: ID, reason: 'maintenance' } },
    ]);
    expect(given([created, paused]).when(pause)()).toEqual([]);
  });

  it('refuses to pause a disabled subscription: resuming is the way back', () => {
    const pause = { type: 'PauseSubscription' as const, subscriptionId: ID, reason: null };

    expect(given([created, disabled]).when(pause)).toThrow(IllegalStateError);
  });

  it('resumes a paused or disabled subscription and says from where', () => {
    const resume = { type: 'ResumeSubscription' as const, subscriptionId: ID };

    expect(given([created, paused]).when(resume)()).toEqual([
      { type: 'SubscriptionResumed', data: { subscriptionId: ID, from: 'paused' } },
    ]);
    expect(given([created, disabled]).when(resume)()).toEqual([
      { type: 'SubscriptionResumed', data: { subscriptionId: ID, from: 'disabled' } },
    ]);
    expect(given([created]).when(resume)()).toEqual([]);
  });

  it('disables once, whatever the dispatchers report after that', () => {
    const disable = {
      type: 'DisableSubscription' as const,
      subscriptionId: ID,
      reason: 'failing' as const,
      detail: 'failing since 2026-02-25',
      failingSince: '2026-02-25T12:00:00.000Z',
    };

    expect(given([created, paused]).when(disable)()).toHaveLength(1);
    expect(given([created, disabled]).when(disable)()).toEqual([]);
  });

  it('answers not found for any command on a missing or deleted subscription', () => {
    const rotate = {
      type: 'RotateSubscriptionSecret' as const,
      subscriptionId: ID,
      encryptedSecret: 'v1:abcd:new',
      previousSecretExpiresAt: null,
    };

    expect(given([]).when(rotate)).toThrow(NotFoundError);
    expect(given([created, deleted]).when(rotate)).toThrow(NotFoundError);
    expect(given([created]).when(rotate)()).toHaveLength(1);
  });
});
