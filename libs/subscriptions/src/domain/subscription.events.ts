import { DomainEvent } from '@observe/commands';

import { DisableReason } from './subscription';

/**
 * Signing secrets appear in events only sealed (AES-256-GCM under a key the
 * event store never sees); the audit trail masks the sealed value too.
 */
export type SubscriptionCreatedData = {
  subscriptionId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  encryptedSecret: string;
};

export type SubscriptionSecretRotatedData = {
  subscriptionId: string;
  encryptedSecret: string;
  /** Until then the previous secret signs too; null when it stopped at once. */
  previousSecretExpiresAt: string | null;
};

export type SubscriptionPausedData = { subscriptionId: string; reason: string | null };

export type SubscriptionResumedData = { subscriptionId: string; from: 'paused' | 'disabled' };

export type SubscriptionDisabledData = {
  subscriptionId: string;
  reason: DisableReason;
  detail: string;
  failingSince: string | null;
};

export type SubscriptionDeletedData = { subscriptionId: string };

export type SubscriptionTestEventRequestedData = {
  subscriptionId: string;
  deliveryId: string;
  eventId: string;
};

export type SubscriptionDeliveryResentData = {
  subscriptionId: string;
  deliveryId: string;
  eventId: string;
};

export type SubscriptionDeliveriesRecoveredData = {
  subscriptionId: string;
  since: string;
  count: number;
};

export type SubscriptionEvent =
  | DomainEvent<'SubscriptionCreated', SubscriptionCreatedData>
  | DomainEvent<'SubscriptionSecretRotated', SubscriptionSecretRotatedData>
  | DomainEvent<'SubscriptionPaused', SubscriptionPausedData>
  | DomainEvent<'SubscriptionResumed', SubscriptionResumedData>
  | DomainEvent<'SubscriptionDisabled', SubscriptionDisabledData>
  | DomainEvent<'SubscriptionDeleted', SubscriptionDeletedData>
  | DomainEvent<'SubscriptionTestEventRequested', SubscriptionTestEventRequestedData>
  | DomainEvent<'SubscriptionDeliveryResent', SubscriptionDeliveryResentData>
  | DomainEvent<'SubscriptionDeliveriesRecovered', SubscriptionDeliveriesRecoveredData>;
