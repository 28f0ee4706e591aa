import { REDACTED } from '@observe/access';

import { DisableReason, SubscriptionStatus } from '../domain/subscription';

/** A subscription as the API answers it; never its secrets. */
export interface SubscriptionView {
  id: string;
  /** `[redacted]` for scoped tokens: webhook URLs often embed credentials. */
  url: string;
  eventTypes: string[];
  description: string | null;
  status: SubscriptionStatus;
  disabledReason: DisableReason | null;
  disabledAt: string | null;
  /** Since when every attempt failed; null while deliveries succeed. */
  failingSince: string | null;
  secretRotatedAt: string | null;
  /** While set, the previous secret still signs beside the current one. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  links: { self: string; deliveries: string };
}

export interface SubscriptionRow {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  status: SubscriptionStatus;
  disabled_reason: DisableReason | null;
  disabled_at: Date | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  secret_rotated_at: Date | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toSubscriptionView(row: SubscriptionRow, now: Date): SubscriptionView {
  const path = `/api/v1/subscriptions/${row.id}`;
  const overlap = row.previous_secret_expires_at;
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    status: row.status,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at?.toISOString() ?? null,
    failingSince: row.failing_since?.toISOString() ?? null,
    secretRotatedAt: row.secret_rotated_at?.toISOString() ?? null,
    previousSecretExpiresAt:
      row.previous_secret && overlap && overlap.getTime() > now.getTime()
        ? overlap.toISOString()
        : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    links: { self: path, deliveries: `${path}/deliveries` },
  };
}

/** What a scoped (agent) token may see of a subscription. */
export function forScopedToken<T extends { url: string }>(view: T): T {
  return { ...view, url: REDACTED };
}
