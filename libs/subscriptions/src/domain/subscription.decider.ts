import { Decider } from '@observe/commands';
import { ConflictError, IllegalStateError, NotFoundError } from '@observe/core';

import { SubscriptionStatus } from './subscription';
import { SubscriptionCommand } from './subscription.commands';
import { SubscriptionEvent } from './subscription.events';

export interface SubscriptionState {
  exists: boolean;
  deleted: boolean;
  status: SubscriptionStatus;
}

/**
 * A webhook subscription's lifecycle. Pausing, resuming and disabling what is
 * already so writes nothing; a deleted subscription is gone for every command.
 */
export const subscriptionDecider: Decider<
  SubscriptionState,
  SubscriptionCommand,
  SubscriptionEvent
> = {
  initialState: () => ({ exists: false, deleted: false, status: 'active' }),

  evolve(state, event) {
    switch (event.type) {
      case 'SubscriptionCreated':
        return { exists: true, deleted: false, status: 'active' };
      case 'SubscriptionPaused':
        return { ...state, status: 'paused' };
      case 'SubscriptionResumed':
        return { ...state, status: 'active' };
      case 'SubscriptionDisabled':
        return { ...state, status: 'disabled' };
      case 'SubscriptionDeleted':
        return { ...state, deleted: true };
      default:
        return state;
    }
  },

  decide(command, state) {
    if (command.type === 'CreateSubscription') {
      if (state.exists)
        throw new ConflictError(`subscription ${command.subscriptionId} already exists`);
      const { subscriptionId, url, eventTypes, description, encryptedSecret } = command;
      return [
        {
          type: 'SubscriptionCreated',
          data: { subscriptionId, url, eventTypes, description, encryptedSecret },
        },
      ];
    }
    if (!state.exists || state.deleted)
      throw new NotFoundError('subscription', command.subscriptionId);

    const subscriptionId = command.subscriptionId;
    switch (command.type) {
      case 'RotateSubscriptionSecret':
        return [
          {
            type: 'SubscriptionSecretRotated',
            data: {
              subscriptionId,
              encryptedSecret: command.encryptedSecret,
              previousSecretExpiresAt: command.previousSecretExpiresAt,
            },
          },
        ];

      case 'PauseSubscription':
        if (state.status === 'paused') return [];
        if (state.status === 'disabled') {
          throw new IllegalStateError(
            `subscription ${subscriptionId} is disabled; resume it to deliver again`,
            { subscriptionId, status: state.status },
          );
        }
        return [{ type: 'SubscriptionPaused', data: { subscriptionId, reason: command.reason } }];

      case 'ResumeSubscription':
        if (state.status === 'active') return [];
        return [{ type: 'SubscriptionResumed', data: { subscriptionId, from: state.status } }];

      case 'DisableSubscription':
        if (state.status === 'disabled') return [];
        return [
          {
            type: 'SubscriptionDisabled',
            data: {
              subscriptionId,
              reason: command.reason,
              detail: command.detail,
              failingSince: command.failingSince,
            },
          },
        ];

      case 'DeleteSubscription':
        return [{ type: 'SubscriptionDeleted', data: { subscriptionId } }];

      case 'RequestTestEvent':
        return [
          {
            type: 'SubscriptionTestEventRequested',
            data: { subscriptionId, deliveryId: command.deliveryId, eventId: command.eventId },
          },
        ];

      case 'ResendDelivery':
        return [
          {
            type: 'SubscriptionDeliveryResent',
            data: { subscriptionId, deliveryId: command.deliveryId, eventId: command.eventId },
          },
        ];

      case 'RecoverDeliveries':
        return [
          {
            type: 'SubscriptionDeliveriesRecovered',
            data: { subscriptionId, since: command.since, count: command.count },
          },
        ];
    }
  },
};
