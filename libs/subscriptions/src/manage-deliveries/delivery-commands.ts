import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import { CommandContexts } from '@observe/commands';
import { ENVIRONMENT, Environment } from '@observe/config';
import { Clock, NotFoundError } from '@observe/core';
import {
  encodeIntegrationEvent,
  IntegrationEvent,
  linkBuilder,
  TEST_EVENT_TYPE,
} from '@observe/relay';

import { DeliveryNotifier } from '../deliver-webhooks/delivery-notifier';
import { SubscriptionCommands } from '../manage-subscriptions/subscription-commands';
import { SubscriptionReader } from '../query-subscriptions/subscription-reader';
import { DeliveryReader } from './delivery-reader';
import { DeliveryView } from './delivery-view';

export interface RecoveredDeliveries {
  subscriptionId: string;
  since: string;
  /** Dead-lettered deliveries scheduled again. */
  recovered: number;
}

/**
 * What people and agents do to deliveries: send a test event, re-send one
 * delivery, or recover everything dead-lettered since a time. Each is
 * recorded as an event on the subscription's stream.
 */
@Injectable()
export class DeliveryCommands {
  private readonly logger = new Logger(DeliveryCommands.name);

  constructor(
    private readonly subscriptions: SubscriptionReader,
    private readonly commands: SubscriptionCommands,
    private readonly deliveries: DeliveryReader,
    private readonly notifier: DeliveryNotifier,
    private readonly clock: Clock,
    @Inject(ENVIRONMENT) private readonly environment: Environment,
  ) {}

  /** Sent whatever event types the subscription takes; held while it is paused or disabled. */
  async sendTest(subscriptionId: string): Promise<DeliveryView> {
    await this.subscriptions.row(subscriptionId);
    const deliveryId = randomUUID();
    const now = this.clock.now().toISOString();
    const link = linkBuilder(this.environment.PUBLIC_BASE_URL);
    const event: IntegrationEvent = {
      id: randomUUID(),
      type: TEST_EVENT_TYPE,
      timestamp: now,
      data: {
        subscriptionId,
        message: 'A test event from 24observe: check that its signature verifies.',
        sequence: 1,
        occurredAt: now,
        links: { subscription: link(`/api/v1/subscriptions/${subscriptionId}`) },
      },
    };

    await this.commands.atomically(async (manager) => {
      await this.commands.decide({
        type: 'RequestTestEvent',
        subscriptionId,
        deliveryId,
        eventId: event.id,
      });
      await manager.query(
        `INSERT INTO subscriptions.deliveries
           (id, subscription_id, event_id, event_type, payload, correlation_id, status,
            next_attempt_at, created_at, updated_at)
         SELECT $1, s.id, $3, $4, $5, $6,
                CASE WHEN s.status = 'active' THEN 'pending' ELSE 'held' END, $7, $7, $7
           FROM subscriptions.subscriptions s WHERE s.id = $2`,
        [
          deliveryId,
          subscriptionId,
          event.id,
          event.type,
          encodeIntegrationEvent(event),
          CommandContexts.current()?.correlationId ?? null,
          now,
        ],
      );
    });
    this.notifier.notify();
    this.logger.log({ msg: 'test event queued', subscriptionId, deliveryId, eventId: event.id });
    return this.deliveries.get(subscriptionId, deliveryId);
  }

  /**
   * Sends one delivery again with the same webhook-id and a fresh retry
   * schedule, whatever became of it (delivered, dead-lettered, waiting).
   */
  async resend(subscriptionId: string, deliveryId: string): Promise<DeliveryView> {
    await this.subscriptions.row(subscriptionId);

    await this.commands.atomically(async (manager) => {
      const [rows]: [Array<{ event_id: string }>, number] = await manager.query(
        `UPDATE subscriptions.deliveries d
            SET status = CASE WHEN s.status = 'active' THEN 'pending' ELSE 'held' END,
                round_attempts = 0, next_attempt_at = $3, lease_id = NULL, leased_until = NULL,
                dead_lettered_at = NULL,
                updated_at = $3
           FROM subscriptions.subscriptions s
          WHERE d.id = $1 AND d.subscription_id = $2 AND s.id = d.subscription_id
            AND d.status <> 'cancelled'
          RETURNING d.event_id`,
        [deliveryId, subscriptionId, this.clock.now()],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError('delivery', deliveryId);

      await this.commands.decide({
        type: 'ResendDelivery',
        subscriptionId,
        deliveryId,
        eventId: row.event_id,
      });
    });
    this.notifier.notify();
    this.logger.log({ msg: 'delivery queued again', subscriptionId, deliveryId });
    return this.deliveries.get(subscriptionId, deliveryId);
  }

  /** Schedules again every dead-lettered delivery created since `since`, on a fresh schedule. */
  async recover(subscriptionId: string, since: Date): Promise<RecoveredDeliveries> {
    await this.subscriptions.row(subscriptionId);

    const recovered = await this.commands.atomically(async (manager) => {
      const [rows]: [Array<{ id: string }>, number] = await manager.query(
        `UPDATE subscriptions.deliveries d
            SET status = CASE WHEN s.status = 'active' THEN 'pending' ELSE 'held' END,
                round_attempts = 0, next_attempt_at = $3, lease_id = NULL, leased_until = NULL,
                dead_lettered_at = NULL,
                updated_at = $3
           FROM subscriptions.subscriptions s
          WHERE d.subscription_id = $1 AND s.id = d.subscription_id
            AND d.status = 'dead_lettered' AND d.created_at >= $2
          RETURNING d.id`,
        [subscriptionId, since, this.clock.now()],
      );
      await this.commands.decide({
        type: 'RecoverDeliveries',
        subscriptionId,
        since: since.toISOString(),
        count: rows.length,
      });
      return rows.length;
    });
    this.notifier.notify();
    this.logger.log({ msg: 'dead-lettered deliveries recovered', subscriptionId, recovered });
    return { subscriptionId, since: since.toISOString(), recovered };
  }
}
