import { Injectable, OnModuleInit } from '@nestjs/common';

import { advisoryKey, installSchema, Transactions } from '@observe/database';
import { IllegalStateError } from '@observe/core';

import { alertDedupSchema } from './alert-dedup.schema';

/**
 * Maps a (service, dedup key) to its incident. Callers take the key's lock
 * first: concurrent triggers with one key then run one after the other, and
 * the second sees the incident the first opened.
 */
@Injectable()
export class AlertDeduplication implements OnModuleInit {
  constructor(private readonly transactions: Transactions) {}

  async onModuleInit(): Promise<void> {
    await installSchema(this.transactions.dataSource, alertDedupSchema);
  }

  /** Held until the surrounding transaction ends. */
  async lock(service: string, dedupKey: string): Promise<void> {
    if (!this.transactions.inTransaction()) {
      throw new IllegalStateError('the dedup lock needs a transaction to hold it');
    }
    await this.transactions
      .current()
      .query('SELECT pg_advisory_xact_lock($1)', [
        advisoryKey(`alert-dedup:${service}:${dedupKey}`),
      ]);
  }

  async find(service: string, dedupKey: string): Promise<string | undefined> {
    const [row]: Array<{ incident_id: string }> = await this.transactions
      .current()
      .query(
        `SELECT incident_id FROM incident_ingest.dedup_keys WHERE service = $1 AND dedup_key = $2`,
        [service, dedupKey],
      );
    return row?.incident_id;
  }

  async remember(service: string, dedupKey: string, incidentId: string): Promise<void> {
    await this.transactions.current().query(
      `INSERT INTO incident_ingest.dedup_keys (service, dedup_key, incident_id) VALUES ($1, $2, $3)
       ON CONFLICT (service, dedup_key)
         DO UPDATE SET incident_id = EXCLUDED.incident_id, updated_at = now()`,
      [service, dedupKey, incidentId],
    );
  }
}
