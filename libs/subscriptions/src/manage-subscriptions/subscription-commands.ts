import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { AggregateRepository, CommandContexts, HandledCommand } from '@observe/commands';
import { Clock, DomainError, ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';
import { IntegrationEventRegistry } from '@observe/relay';

import { generateWebhookSecret, SsrfGuard } from '../delivery';
import { DisableReason, subscriptionStreamId } from '../domain/subscription';
import { SubscriptionCommand } from '../domain/subscription.commands';
import { subscriptionDecider, SubscriptionState } from '../domain/subscription.decider';
import { SubscriptionReader } from '../query-subscriptions/subscription-reader';
import { SubscriptionView } from '../query-subscriptions/subscription-view';
import { SecretBox } from '../secrets/secret-box';

export interface CreateSubscriptionInput {
  url: string;
  eventTypes: string[];
  description?: string | null;
}

/** A view with the signing secret, shown in this one answer and never again. */
export type SubscriptionWithSecret = SubscriptionView & { secret: string };

export const DEFAULT_SECRET_OVERLAP_HOURS = 24;
const MAX_ATTEMPTS = 5;

/**
 * Changes subscriptions: each change appends its event and updates the row
 * the dispatchers read, in one transaction (the request's, when there is one).
 */
@Injectable()
export class SubscriptionCommands {
  private readonly logger = new Logger(SubscriptionCommands.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly transactions: Transactions,
    private readonly reader: SubscriptionReader,
    private readonly secrets: SecretBox,
    private readonly guard: SsrfGuard,
    private readonly registry: IntegrationEventRegistry,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateSubscriptionInput): Promise<SubscriptionWithSecret> {
    const eventTypes = this.checkedEventTypes(input.eventTypes);
    // Refuses loopback, private, link-local and metadata targets before anything is written.
    await this.guard.assertUrlAllowed(input.url);

    const subscriptionId = randomUUID();
    const secret = generateWebhookSecret();
    const encryptedSecret = this.secrets.seal(secret, subscriptionId);
    const context = CommandContexts.current();
    const createdBy = context?.actor.tokenId ?? context?.actor.name ?? null;
    const now = this.clock.now();

    await this.atomically(async (manager) => {
      await this.decide({
        type: 'CreateSubscription',
        subscriptionId,
        url: input.url,
        eventTypes,
        description: input.description ?? null,
        encryptedSecret,
      });
      await manager.query(
        `INSERT INTO subscriptions.subscriptions
           (id, url, event_types, description, status, secret, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $7)`,
        [
          subscriptionId,
          input.url,
          eventTypes,
          input.description ?? null,
          encryptedSecret,
          createdBy,
          now,
        ],
      );
    });
    this.logger.log({ msg: 'subscription created', subscriptionId, eventTypes });

    return { ...(await this.reader.get(subscriptionId)), secret };
  }

  /**
   * A new secret signs from now on; the previous one keeps signing beside it
   * for `overlapHours`, so receivers can switch without missing a message.
   */
  async rotateSecret(
    subscriptionId: string,
    overlapHours: number,
  ): Promise<SubscriptionWithSecret> {
    const secret = generateWebhookSecret();
    const encryptedSecret = this.secrets.seal(secret, subscriptionId);
    const now = this.clock.now();
    const previousSecretExpiresAt =
      overlapHours > 0 ? new Date(now.getTime() + overlapHours * 3_600_000) : null;

    await this.atomically(async (manager) => {
      await this.decide({
        type: 'RotateSubscriptionSecret',
        subscriptionId,
        encryptedSecret,
        previousSecretExpiresAt: previousSecretExpiresAt?.toISOString() ?? null,
      });
      await manager.query(
        `UPDATE subscriptions.subscriptions
            SET previous_secret = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret END,
                previous_secret_expires_at = $3, secret = $2, secret_rotated_at = $4,
                updated_at = $4
          WHERE id = $1`,
        [subscriptionId, encryptedSecret, previousSecretExpiresAt, now],
      );
    });
    this.logger.log({ msg: 'subscription secret rotated', subscriptionId, overlapHours });

    return { ...(await this.reader.get(subscriptionId)), secret };
  }

  /** Deliveries wait (held) until the subscription is resumed; none is dropped. */
  async pause(subscriptionId: string, reason: string | null): Promise<SubscriptionView> {
    await this.atomically(async (manager) => {
      const handled = await this.decide({ type: 'PauseSubscription', subscriptionId, reason });
      if (!handled.result) return;

      await this.setStatus(manager, subscriptionId, 'paused');
      await this.holdDeliveries(manager, subscriptionId);
      this.logger.log({ msg: 'subscription paused', subscriptionId });
    });
    return this.reader.get(subscriptionId);
  }

  /** Held deliveries fall due at once, and the failure clock starts over. */
  async resume(subscriptionId: string): Promise<SubscriptionView> {
    await this.atomically(async (manager) => {
      const handled = await this.decide({ type: 'ResumeSubscription', subscriptionId });
      if (!handled.result) return;

      const now = this.clock.now();
      await manager.query(
        `UPDATE subscriptions.subscriptions
            SET status = 'active', disabled_reason = NULL, disabled_at = NULL, failing_since = NULL,
                updated_at = $2
          WHERE id = $1`,
        [subscriptionId, now],
      );
      await manager.query(
        `UPDATE subscriptions.deliveries
            SET status = 'pending', next_attempt_at = $2, lease_id = NULL, leased_until = NULL,
                updated_at = $2
          WHERE subscription_id = $1 AND status = 'held'`,
        [subscriptionId, now],
      );
      this.logger.log({
        msg: 'subscription resumed',
        subscriptionId,
        from: handled.previous.status,
      });
    });
    return this.reader.get(subscriptionId);
  }

  /** The dispatcher's call: after a 410, or when a subscription failed for too long. */
  async disable(
    subscriptionId: string,
    reason: DisableReason,
    detail: string,
    failingSince: Date | null,
  ): Promise<void> {
    await this.atomically(async (manager) => {
      const handled = await this.decide({
        type: 'DisableSubscription',
        subscriptionId,
        reason,
        detail,
        failingSince: failingSince?.toISOString() ?? null,
      });
      if (!handled.result) return;

      const now = this.clock.now();
      await manager.query(
        `UPDATE subscriptions.subscriptions
            SET status = 'disabled', disabled_reason = $2, disabled_at = $3, updated_at = $3
          WHERE id = $1`,
        [subscriptionId, reason, now],
      );
      await this.holdDeliveries(manager, subscriptionId);
      this.logger.warn({
        msg: 'subscription disabled; resume it once the receiver is fixed',
        subscriptionId,
        reason,
        detail,
      });
    });
  }

  /** Deliveries not yet made are cancelled; the history stays readable in the audit trail. */
  async delete(subscriptionId: string): Promise<{ id: string; deleted: true }> {
    await this.atomically(async (manager) => {
      await this.decide({ type: 'DeleteSubscription', subscriptionId });
      const now = this.clock.now();
      await manager.query(
        `UPDATE subscriptions.subscriptions SET deleted_at = $2, updated_at = $2 WHERE id = $1`,
        [subscriptionId, now],
      );
      await manager.query(
        `UPDATE subscriptions.deliveries SET status = 'cancelled', updated_at = $2
          WHERE subscription_id = $1 AND status IN ('pending', 'held')`,
        [subscriptionId, now],
      );
    });
    this.logger.log({ msg: 'subscription deleted', subscriptionId });
    return { id: subscriptionId, deleted: true };
  }

  /** Appends the events a command decides on the subscription's stream. */
  decide(command: SubscriptionCommand): Promise<HandledCommand<SubscriptionState>> {
    return this.aggregates.handle(
      subscriptionStreamId(command.subscriptionId),
      subscriptionDecider,
      command,
    );
  }

  /**
   * Inside a request, joins its transaction (whose pipeline retries conflicts);
   * in a worker, opens one and retries a concurrent change from a fresh read.
   */
  async atomically<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.transactions.inTransaction()) return this.transactions.run(work);

    const produced = CommandContexts.current()?.produced;
    const before = produced?.length ?? 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.transactions.run(work);
      } catch (error) {
        // Events of a rolled-back attempt were never written.
        produced?.splice(before);
        const conflict = error instanceof DomainError && error.code === 'concurrency';
        if (!conflict || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private checkedEventTypes(requested: string[]): string[] {
    const eventTypes = [...new Set(requested.map((type) => type.trim()))].sort();
    const unknown = eventTypes.filter((type) => !this.registry.isSubscribable(type));
    if (eventTypes.length > 0 && unknown.length === 0) return eventTypes;

    const known = this.registry.types().map((info) => info.type);
    throw new ValidationError(
      eventTypes.length === 0
        ? 'eventTypes must name at least one event type'
        : `unknown event types: ${unknown.join(', ')}`,
      [
        {
          field: 'eventTypes',
          message: `each must be one of ${known.join(', ')}, <family>.* or *`,
        },
      ],
      { knownEventTypes: known },
    );
  }

  private async setStatus(
    manager: EntityManager,
    subscriptionId: string,
    status: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE subscriptions.subscriptions SET status = $2, updated_at = $3 WHERE id = $1`,
      [subscriptionId, status, this.clock.now()],
    );
  }

  private async holdDeliveries(manager: EntityManager, subscriptionId: string): Promise<void> {
    await manager.query(
      `UPDATE subscriptions.deliveries SET status = 'held', updated_at = $2
        WHERE subscription_id = $1 AND status = 'pending'`,
      [subscriptionId, this.clock.now()],
    );
  }
}
