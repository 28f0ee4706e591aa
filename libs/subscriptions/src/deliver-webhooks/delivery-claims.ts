import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

/** A delivery this process leased, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  payload: string;
  correlationId: string | null;
  /** Attempts made before this one, in all and since the last (re-)send. */
  attempts: number;
  roundAttempts: number;
  url: string;
  sealedSecret: string;
  sealedPreviousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  leaseId: string;
  /** After this another dispatcher may claim it: an attempt must be over by then. */
  leaseExpiresAt: Date;
}

export interface ClaimRequest {
  limit: number;
  now: Date;
  /** How long the lease lasts: longer than an attempt can take. */
  leaseMs: number;
  /** Most deliveries of one subscription this process may hold. */
  perSubscription: number;
  /** What this process holds already, per subscription. */
  held: ReadonlyMap<string, number>;
}

interface ClaimedRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  correlation_id: string | null;
  attempts: number;
  round_attempts: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

/**
 * Hands out due deliveries to one dispatcher at a time, in one statement:
 * candidates are locked with FOR UPDATE SKIP LOCKED, so dispatchers claiming
 * at once take different rows. A claim is a lease (`leased_until`, past the
 * attempt's end), so no lock is held while the webhook is sent, and a
 * dispatcher that dies mid-attempt leaves a row that is claimable again
 * once its lease lapses and is reaped.
 */
export class DeliveryClaims {
  constructor(private readonly dataSource: DataSource) {}

  async claim(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    const leaseId = randomUUID();
    const leaseUntil = new Date(request.now.getTime() + request.leaseMs);
    const saturated = [...request.held]
      .filter(([, count]) => count >= request.perSubscription)
      .map(([id]) => id);

    // Deliveries of a subscription paused or deleted in a race with their planning are
    // moved aside (held, cancelled) instead of sent.
    const [rows]: [ClaimedRow[], number] = await this.dataSource.query(
      `WITH candidates AS (
         SELECT d.id, d.subscription_id, d.next_attempt_at
           FROM subscriptions.deliveries d
          WHERE d.status = 'pending' AND d.leased_until IS NULL AND d.next_attempt_at <= $1
            AND d.subscription_id <> ALL($2::uuid[])
          ORDER BY d.next_attempt_at
          LIMIT $3
          FOR UPDATE OF d SKIP LOCKED
       ), judged AS (
         SELECT c.*, s.status = 'active' AND s.deleted_at IS NULL AS live,
                s.deleted_at IS NOT NULL AS gone
           FROM candidates c JOIN subscriptions.subscriptions s ON s.id = c.subscription_id
       ), set_aside AS (
         UPDATE subscriptions.deliveries d
            SET status = CASE WHEN judged.gone THEN 'cancelled' ELSE 'held' END
           FROM judged
          WHERE d.id = judged.id AND NOT judged.live
       ), ranked AS (
         SELECT j.id, j.next_attempt_at,
                row_number() OVER (PARTITION BY j.subscription_id ORDER BY j.next_attempt_at)
                  AS rank,
                $4::int - coalesce(h.held, 0) AS room
           FROM judged j
           LEFT JOIN unnest($5::uuid[], $6::int[]) AS h(subscription_id, held)
             ON h.subscription_id = j.subscription_id
          WHERE j.live
       ), chosen AS (
         SELECT id FROM ranked WHERE rank <= room ORDER BY next_attempt_at LIMIT $7
       )
       UPDATE subscriptions.deliveries d
          SET lease_id = $8, leased_until = $9
         FROM chosen, subscriptions.subscriptions s
        WHERE d.id = chosen.id AND s.id = d.subscription_id
       RETURNING d.id, d.subscription_id, d.event_id, d.event_type, d.payload, d.correlation_id,
                 d.attempts, d.round_attempts, s.url, s.secret, s.previous_secret,
                 s.previous_secret_expires_at`,
      [
        request.now,
        saturated,
        request.limit,
        request.perSubscription,
        [...request.held.keys()],
        [...request.held.values()],
        request.limit,
        leaseId,
        leaseUntil,
      ],
    );
    return rows.map((row) => toClaimed(row, leaseId, leaseUntil));
  }

  /** Gives back claims not acted on (at shutdown), so any dispatcher can take them at once. */
  async release(deliveries: ClaimedDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;

    await this.dataSource.query(
      `UPDATE subscriptions.deliveries d
          SET lease_id = NULL, leased_until = NULL
         FROM unnest($1::uuid[], $2::uuid[]) AS v(id, lease_id)
        WHERE d.id = v.id AND d.lease_id = v.lease_id`,
      [deliveries.map((delivery) => delivery.id), deliveries.map((delivery) => delivery.leaseId)],
    );
  }

  /** When the next pending delivery no one holds falls due, if any. */
  async nextDueAt(): Promise<Date | null> {
    const [row]: Array<{ due: Date }> = await this.dataSource.query(
      `SELECT next_attempt_at AS due FROM subscriptions.deliveries
        WHERE status = 'pending' AND leased_until IS NULL
        ORDER BY next_attempt_at LIMIT 1`,
    );
    return row?.due ?? null;
  }

  /**
   * Frees leases that lapsed: their dispatcher died or lost its way. A live
   * dispatcher never starts an attempt its lease would not outlast, so what
   * lapsed is not being sent. Answers how many were freed.
   */
  async reapLapsedLeases(now: Date): Promise<number> {
    const [, freed]: [unknown[], number] = await this.dataSource.query(
      `UPDATE subscriptions.deliveries SET lease_id = NULL, leased_until = NULL
        WHERE leased_until IS NOT NULL AND leased_until <= $1`,
      [now],
    );
    return freed;
  }
}

function toClaimed(row: ClaimedRow, leaseId: string, leaseExpiresAt: Date): ClaimedDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload,
    correlationId: row.correlation_id,
    attempts: row.attempts,
    roundAttempts: row.round_attempts,
    url: row.url,
    sealedSecret: row.secret,
    sealedPreviousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    leaseId,
    leaseExpiresAt,
  };
}
