import { Injectable } from '@nestjs/common';

import { Clock, NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { SecretBox } from '../secrets/secret-box';
import { decodeCursor, DEFAULT_PAGE_SIZE, ListPage, toPage } from './list-page';
import { SubscriptionRow, SubscriptionView, toSubscriptionView } from './subscription-view';

export interface SubscriptionSecrets {
  /** Signs every delivery. */
  current: string;
  /** Still signs beside the current one until `previousExpiresAt`. */
  previous: string | null;
  previousExpiresAt: string | null;
}

/** Reads subscriptions as the API shows them; deleted ones do not exist. */
@Injectable()
export class SubscriptionReader {
  constructor(
    private readonly transactions: Transactions,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  async get(subscriptionId: string): Promise<SubscriptionView> {
    return toSubscriptionView(await this.row(subscriptionId), this.clock.now());
  }

  async list(options: { limit?: number; cursor?: string }): Promise<ListPage<SubscriptionView>> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(options.cursor);
    const rows: SubscriptionRow[] = await this.transactions.current().query(
      `SELECT * FROM subscriptions.subscriptions
        WHERE deleted_at IS NULL
          AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid))
        ORDER BY created_at, id
        LIMIT $3`,
      [after?.sort ?? null, after?.id ?? null, limit + 1],
    );
    const now = this.clock.now();
    return toPage(
      rows,
      limit,
      (row) => ({ sort: row.created_at.toISOString(), id: row.id }),
      (row) => toSubscriptionView(row, now),
    );
  }

  /** The signing secrets in clear: for full tokens only (the route says so). */
  async secretsOf(subscriptionId: string): Promise<SubscriptionSecrets> {
    const row = await this.row(subscriptionId);
    const now = this.clock.now();
    const expires = row.previous_secret_expires_at;
    const previousLive = row.previous_secret !== null && expires !== null && expires > now;
    return {
      current: this.secrets.open(row.secret, row.id),
      previous:
        previousLive && row.previous_secret ? this.secrets.open(row.previous_secret, row.id) : null,
      previousExpiresAt: previousLive && expires ? expires.toISOString() : null,
    };
  }

  async row(subscriptionId: string): Promise<SubscriptionRow> {
    const rows: SubscriptionRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM subscriptions.subscriptions WHERE id = $1 AND deleted_at IS NULL`, [
        subscriptionId,
      ]);
    const row = rows[0];
    if (!row) throw new NotFoundError('subscription', subscriptionId);
    return row;
  }
}
