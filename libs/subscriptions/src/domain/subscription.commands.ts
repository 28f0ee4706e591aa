import { DisableReason } from './subscription';
import { SubscriptionCreatedData } from './subscription.events';

export type SubscriptionCommand =
  | ({ type: 'CreateSubscription' } & SubscriptionCreatedData)
  | {
      type: 'RotateSubscriptionSecret';
      subscriptionId: string;
      encryptedSecret: string;
      previousSecretExpiresAt: string | null;
    }
  | { type: 'PauseSubscription'; subscriptionId: string; reason: string | null }
  | { type: 'ResumeSubscription'; subscriptionId: string }
  | {
      type: 'DisableSubscription';
      subscriptionId: string;
      reason: DisableReason;
      detail: string;
      failingSince: string | null;
    }
  | { type: 'DeleteSubscription'; subscriptionId: string }
  | { type: 'RequestTestEvent'; subscriptionId: string; deliveryId: string; eventId: string }
  | { type: 'ResendDelivery'; subscriptionId: string; deliveryId: string; eventId: string }
  | { type: 'RecoverDeliveries'; subscriptionId: string; since: string; count: number };
