import { Injectable } from '@nestjs/common';

import { Clock } from '@observe/core';
import { preparedQuery, Transactions } from '@observe/database';
import { familyPattern, IntegrationEvent } from '@observe/relay';

import { RetrySchedule } from '../delivery';

/** An event off the topic, with the exact bytes that become the webhook body. */
export interface ReceivedEvent {
  event: IntegrationEvent;
  payload: string;
  correlationId: string;
}

export interface PlannedDeliveries {
  /** Deliveries created, pending and held. */
  planned: number;
  /** Of them, the ones to send now (their subscription is active). */
  due: number;
}

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

  /**
   * Plans the deliveries of every event in one statement: the cost of a
   * batch is one round trip, whether or not any subscription matches.
   */
  async plan(received: ReceivedEvent[]): Promise<PlannedDeliveries> {
    // One row per event id: ON CONFLICT cannot tell apart two rows of one statement.
    const events = [...new Map(received.map((entry) => [entry.event.id, entry])).values()];
    if (events.length === 0) return { planned: 0, due: 0 };

    const now = this.clock.now();
    const firstAttemptAt = new Date(now.getTime() + (this.schedule.nextAttemptDelay(1) ?? 0));
    const rows = await preparedQuery<{ status: string }>(
      this.transactions.dataSource,
      'subscriptions_plan_deliveries',
      `INSERT INTO subscriptions.deliveries
         (id, subscription_id, event_id, event_type, payload, correlation_id, status,
          next_attempt_at, created_at, updated_at)
       SELECT gen_random_uuid(), s.id, e.id, e.type, e.payload, e.correlation_id,
              CASE WHEN s.status = 'active' THEN 'pending' ELSE 'held' END, $7, $8, $8
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                     $6::timestamptz[])
                AS e(id, type, family, payload, correlation_id, happened_at)
         JOIN subscriptions.subscriptions s
           ON s.deleted_at IS NULL AND s.status IN ('active', 'paused')
          AND s.event_types && ARRAY[e.type, e.family, '*']
          AND s.created_at <= e.happened_at
       ON CONFLICT (subscription_id, event_id) DO NOTHING
       RETURNING status`,
      [
        events.map(({ event }) => event.id),
        events.map(({ event }) => event.type),
        events.map(({ event }) => familyPattern(event.type)),
        events.map(({ payload }) => payload),
        events.map(({ correlationId }) => correlationId),
        events.map(({ event }) => event.timestamp),
        firstAttemptAt,
        now,
      ],
    );
    return { planned: rows.length, due: rows.filter((row) => row.status === 'pending').length };
  }
}
