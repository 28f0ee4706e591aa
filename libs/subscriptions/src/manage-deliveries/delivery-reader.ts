import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  ListPage,
  toPage,
} from '../query-subscriptions/list-page';
import { SubscriptionReader } from '../query-subscriptions/subscription-reader';
import { DeliveryStatus } from '../storage/subscriptions.schema';
import { AttemptRow, DeliveryRow, DeliveryView, toDeliveryView } from './delivery-view';

const ATTEMPTS_SHOWN = 50;

/** Deliveries of one subscription, newest first, each with its attempts. */
@Injectable()
export class DeliveryReader {
  constructor(
    private readonly transactions: Transactions,
    private readonly subscriptions: SubscriptionReader,
  ) {}

  async list(
    subscriptionId: string,
    options: { status?: DeliveryStatus; limit?: number; cursor?: string },
  ): Promise<ListPage<DeliveryView>> {
    await this.subscriptions.row(subscriptionId);
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const before = decodeCursor(options.cursor);
    const rows: DeliveryRow[] = await this.transactions.current().query(
      `SELECT * FROM subscriptions.deliveries
        WHERE subscription_id = $1
          AND ($2::text IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [subscriptionId, options.status ?? null, before?.sort ?? null, before?.id ?? null, limit + 1],
    );
    const attempts = await this.attemptsOf(rows.slice(0, limit).map((row) => row.id));
    return toPage(
      rows,
      limit,
      (row) => ({ sort: row.created_at.toISOString(), id: row.id }),
      (row) => toDeliveryView(row, attempts.get(row.id) ?? []),
    );
  }

  async get(subscriptionId: string, deliveryId: string): Promise<DeliveryView> {
    const rows: DeliveryRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM subscriptions.deliveries WHERE id = $1 AND subscription_id = $2`, [
        deliveryId,
        subscriptionId,
      ]);
    const row = rows[0];
    if (!row) throw new NotFoundError('delivery', deliveryId);

    const attempts = await this.attemptsOf([row.id]);
    return toDeliveryView(row, attempts.get(row.id) ?? []);
  }

  private async attemptsOf(deliveryIds: string[]): Promise<Map<string, AttemptRow[]>> {
    const byDelivery = new Map<string, AttemptRow[]>();
    if (deliveryIds.length === 0) return byDelivery;

    const rows: AttemptRow[] = await this.transactions.current().query(
      `SELECT * FROM (
         SELECT a.*, row_number() OVER (PARTITION BY delivery_id ORDER BY id DESC) AS newest
           FROM subscriptions.delivery_attempts a
          WHERE delivery_id = ANY($1::uuid[])
       ) ranked
       WHERE newest <= $2
       ORDER BY delivery_id, id`,
      [deliveryIds, ATTEMPTS_SHOWN],
    );
    for (const row of rows) {
      const list = byDelivery.get(row.delivery_id) ?? [];
      list.push(row);
      byDelivery.set(row.delivery_id, list);
    }
    return byDelivery;
  }
}
