import { Injectable } from '@nestjs/common';

import { Clock } from '@observe/core';
import { Transactions } from '@observe/database';
import { familyPattern, IntegrationEvent } from '@observe/relay';

import { RetrySchedule } from '../delivery';

/**
 * Creates one delivery per subscription that takes an event. The unique
 * (subscription, event id) key makes it idempotent: an event Kafka delivers
 * twice, or the relay re-sent, plans nothing new. Paused subscriptions get
 * held deliveries; disabled and deleted ones get none. A subscription takes
 * only events that happened after it was created.
 */
@Injectable()
export class DeliveryPlanner {
  constructor(
    private readonly transactions: Transactions,
    private readonly schedule: RetrySchedule,
    private readonly clock: Clock,
  ) {}

  /** Answers how many deliveries are due now. */
  async plan(
    event: IntegrationEvent,
    payload: string,
    correlationId: string | null,
  ): Promise<number> {
    const now = this.clock.now();
    const firstAttemptAt = new Date(now.getTime() + (this.schedule.nextAttemptDelay(1) ?? 0));
    const rows: Array<{ status: string }> = await this.transactions.dataSource.query(
      `INSERT INTO subscriptions.deliveries
         (id, subscription_id, event_id, event_type, payload, correlation_id, status,
          next_attempt_at, created_at, updated_at)
       SELECT gen_random_uuid(), s.id, $1, $2, $3, $4,
              CASE WHEN s.status = 'active' THEN 'pending' ELSE 'held' END, $5, $6, $6
         FROM subscriptions.subscriptions s
        WHERE s.deleted_at IS NULL AND s.status IN ('active', 'paused')
          AND s.event_types && $7::text[]
          AND s.created_at <= $8::timestamptz
       ON CONFLICT (subscription_id, event_id) DO NOTHING
       RETURNING status`,
      [
        event.id,
        event.type,
        payload,
        correlationId,
        firstAttemptAt,
        now,
        [event.type, familyPattern(event.type), '*'],
        event.timestamp,
      ],
    );
    return rows.filter((row) => row.status === 'pending').length;
  }
}
