import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CommandContexts } from '@observe/commands';
import { sleep } from '@observe/core';

import { DeliveryResult } from '../delivery';
import { SubscriptionCommands } from '../manage-subscriptions/subscription-commands';
import { ClaimedDelivery } from './delivery-claims';
import { failedTooLong, NextStep } from './next-step';

/** One attempt as it ended, and what becomes of its delivery. */
export interface AttemptRecord {
  delivery: ClaimedDelivery;
  startedAt: Date;
  finishedAt: Date;
  result: DeliveryResult;
  step: NextStep;
}

export interface AttemptRecorderOptions {
  /** Names this process in the attempt log. */
  worker: string;
  disableAfterMs: number;
  /** Records written in one transaction at most. */
  maxBatch: number;
}

const WRITE_RETRIES_MS = [200, 1_000, 5_000];

interface HealthRow {
  id: string;
  failing_since: Date | null;
  status: string;
}

/**
 * Writes attempts and their consequences in batches: whatever finished while
 * the previous batch was being written goes in the next transaction, so a
 * busy dispatcher writes once per many deliveries and an idle one at once.
 * A delivery's row is updated only under the lease it was claimed with: a
 * re-send or another dispatcher that took over an expired lease wins.
 */
export class AttemptRecorder {
  private readonly logger = new Logger(AttemptRecorder.name);
  private queue: AttemptRecord[] = [];
  private writing?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionCommands,
    private readonly options: AttemptRecorderOptions,
  ) {}

  add(record: AttemptRecord): void {
    this.queue.push(record);
    this.writing ??= this.drain();
  }

  /** Resolves once everything added so far is written (or given up on). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Lets attempts finishing in the same tick join this batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      await this.writeWithRetries(batch);
      await this.applyToSubscriptions(batch).catch((error: unknown) =>
        this.logger.error({ msg: 'could not update subscription health', err: error }),
      );
    }
    this.writing = undefined;
  }

  private async writeWithRetries(batch: AttemptRecord[]): Promise<void> {
    for (let retry = 0; ; retry += 1) {
      try {
        await this.write(batch);
        return;
      } catch (error) {
        const delay = WRITE_RETRIES_MS[retry];
        if (delay === undefined) {
          // The leases expire and the deliveries go out again: receivers dedupe on webhook-id.
          this.logger.error({
            msg: 'could not record attempts; their deliveries will be sent again',
            deliveryIds: batch.map((record) => record.delivery.id),
            err: error,
          });
          return;
        }
        this.logger.warn({
          msg: 'could not record attempts; retrying',
          retryInMs: delay,
          err: error,
        });
        await sleep(delay);
      }
    }
  }

  /**
   * One statement: the attempts, their deliveries (under the lease they were
   * claimed with) and the subscriptions a success healed. One round trip and
   * one commit per batch, however large.
   */
  private async write(batch: AttemptRecord[]): Promise<void> {
    const column = <T>(pick: (record: AttemptRecord) => T): T[] => batch.map(pick);
    const healed = [...latestBySubscription(batch)]
      .filter(([, record]) => record.result.outcome === 'delivered')
      .map(([subscriptionId]) => subscriptionId);

    await this.dataSource.query(
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::timestamptz[],
                              $6::timestamptz[], $7::text[], $8::int[], $9::int[], $10::text[],
                              $11::text[], $12::text[], $13::text[], $14::timestamptz[])
           AS v(id, subscription_id, lease_id, attempt, started_at, finished_at, outcome,
                status_code, latency_ms, error, error_kind, response_snippet, status,
                next_attempt_at)
       ), logged AS (
         INSERT INTO subscriptions.delivery_attempts
           (delivery_id, subscription_id, attempt, started_at, outcome, status_code, latency_ms,
            error, error_kind, response_snippet, worker)
         SELECT id, subscription_id, attempt, started_at, outcome, status_code, latency_ms,
                error, error_kind, response_snippet, $15
           FROM v
       ), healed AS (
         UPDATE subscriptions.subscriptions SET failing_since = NULL
          WHERE id = ANY($16::uuid[]) AND failing_since IS NOT NULL
       )
       UPDATE subscriptions.deliveries d
          SET status = CASE WHEN v.status = 'pending' AND d.status IN ('held', 'cancelled')
                            THEN d.status ELSE v.status END,
              attempts = d.attempts + 1,
              round_attempts = d.round_attempts + 1,
              next_attempt_at = v.next_attempt_at,
              lease_id = NULL,
              leased_until = NULL,
              last_status_code = v.status_code,
              last_error = v.error,
              delivered_at = CASE WHEN v.status = 'delivered' THEN v.finished_at
                                  ELSE d.delivered_at END,
              dead_lettered_at = CASE WHEN v.status = 'dead_lettered' THEN v.finished_at END,
              updated_at = v.finished_at
         FROM v
        WHERE d.id = v.id AND d.lease_id = v.lease_id`,
      [
        column((record) => record.delivery.id),
        column((record) => record.delivery.subscriptionId),
        column((record) => record.delivery.leaseId),
        column((record) => record.delivery.attempts + 1),
        column((record) => record.startedAt),
        column((record) => record.finishedAt),
        column((record) => record.result.outcome),
        column((record) => record.result.status ?? null),
        column((record) => record.result.latencyMs),
        column((record) => record.result.error ?? null),
        column((record) => record.result.errorKind ?? null),
        column((record) => record.result.responseSnippet ?? null),
        column((record) => deliveryStatus(record.step)),
        column((record) =>
          record.step.kind === 'retry'
            ? new Date(record.finishedAt.getTime() + record.step.delayMs)
            : null,
        ),
        this.options.worker,
        healed,
      ],
    );
  }

  /**
   * Starts each failing subscription's `failing_since` (a success cleared it
   * in the batch's statement) and disables, with an event, those that
   * answered 410 or failed too long. Failures are the rare case; a batch of
   * successes costs nothing here.
   */
  private async applyToSubscriptions(batch: AttemptRecord[]): Promise<void> {
    const failed = [...latestBySubscription(batch)].filter(
      ([, record]) => record.result.outcome !== 'delivered',
    );
    if (failed.length === 0) return;

    const firstFailure = new Map<string, Date>();
    for (const record of batch) {
      const id = record.delivery.subscriptionId;
      if (record.result.outcome !== 'delivered' && !firstFailure.has(id)) {
        firstFailure.set(id, record.startedAt);
      }
    }
    const latest = new Map(failed);
    const rows: HealthRow[] = await this.dataSource.query(
      `SELECT id, failing_since, status FROM subscriptions.subscriptions
        WHERE id = ANY($1::uuid[])`,
      [[...latest.keys()]],
    );
    for (const row of rows) {
      const record = latest.get(row.id);
      if (!record) continue;

      const failingSince = row.failing_since ?? firstFailure.get(row.id) ?? record.startedAt;
      if (row.failing_since === null) await this.setFailingSince(row.id, failingSince);
      if (row.status === 'disabled') continue;

      if (record.step.kind === 'dead-letter' && record.step.reason === 'gone') {
        await this.disable(record, 'gone', 'the receiver answered 410 Gone', failingSince);
      } else if (failedTooLong(failingSince, record.finishedAt, this.options.disableAfterMs)) {
        const detail = `every attempt failed since ${failingSince.toISOString()}`;
        await this.disable(record, 'failing', detail, failingSince);
      }
    }
  }

  private async setFailingSince(subscriptionId: string, since: Date): Promise<void> {
    // Another dispatcher may have started the clock already: the earlier start stays.
    await this.dataSource.query(
      `UPDATE subscriptions.subscriptions SET failing_since = $2
        WHERE id = $1 AND failing_since IS NULL`,
      [subscriptionId, since],
    );
  }

  private async disable(
    record: AttemptRecord,
    reason: 'gone' | 'failing',
    detail: string,
    failingSince: Date,
  ): Promise<void> {
    const { delivery } = record;
    const context = CommandContexts.system(
      'webhook-dispatcher',
      delivery.eventId,
      delivery.correlationId ?? undefined,
    );
    await CommandContexts.run(context, () =>
      this.subscriptions.disable(delivery.subscriptionId, reason, detail, failingSince),
    );
  }
}

/** Each subscription's most recent attempt in the batch: it says how the subscription is doing. */
function latestBySubscription(batch: AttemptRecord[]): Map<string, AttemptRecord> {
  const latest = new Map<string, AttemptRecord>();
  for (const record of batch) {
    const previous = latest.get(record.delivery.subscriptionId);
    if (!previous || previous.finishedAt <= record.finishedAt)
      latest.set(record.delivery.subscriptionId, record);
  }
  return latest;
}

function deliveryStatus(step: NextStep): string {
  switch (step.kind) {
    case 'delivered':
      return 'delivered';
    case 'retry':
      return 'pending';
    case 'dead-letter':
      return 'dead_lettered';
  }
}
