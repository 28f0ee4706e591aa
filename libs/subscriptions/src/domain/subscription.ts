/** Active subscriptions get deliveries; paused and disabled ones hold them until resumed. */
export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'disabled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** `gone`: the receiver answered 410. `failing`: it failed for WEBHOOK_DISABLE_AFTER_HOURS. */
export type DisableReason = 'gone' | 'failing';

export function subscriptionStreamId(subscriptionId: string): string {
  return `subscription-${subscriptionId}`;
}
