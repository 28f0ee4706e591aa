import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { decodeCursor, ListPage, toPage } from '../../shared/list-page';
import { SqlConditions } from '../../shared/sql-conditions';
import { EscalationLevel, EscalationPolicy } from '../domain';
import { ESCALATION_POLICIES_TABLE, SERVICE_POLICIES_TABLE } from './escalation-policies.schema';

interface PolicyRow {
  id: string;
  name: string;
  levels: EscalationLevel[];
  repeat: number;
  services: string[];
  created_at: Date;
}

@Injectable()
export class EscalationPolicyQueries {
  constructor(private readonly transactions: Transactions) {}

  async list(filter: {
    service?: string;
    limit: number;
    cursor?: string;
  }): Promise<ListPage<EscalationPolicy>> {
    const sql = new SqlConditions();
    if (filter.service) sql.add('services @> ARRAY[?1]::text[]', filter.service);
    const after = decodeCursor(filter.cursor);
    if (after) sql.add('(created_at, id) < (?1::timestamptz, ?2)', after.sort, after.id);
    const limit = sql.param(filter.limit + 1);

    const rows: PolicyRow[] = await this.transactions.current().query(
      `SELECT * FROM ${ESCALATION_POLICIES_TABLE} ${sql.where()}
        ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      sql.params,
    );
    return toPage(
      rows,
      filter.limit,
      (row) => ({ sort: row.created_at.toISOString(), id: row.id }),
      toPolicy,
    );
  }

  async get(policyId: string): Promise<EscalationPolicy> {
    const rows: PolicyRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM ${ESCALATION_POLICIES_TABLE} WHERE id = $1`, [policyId]);
    if (rows.length === 0) throw new NotFoundError('escalation policy', policyId);
    return toPolicy(rows[0]);
  }

  /** The policy a service follows, if any. */
  async forService(serviceId: string): Promise<EscalationPolicy | undefined> {
    const rows: PolicyRow[] = await this.transactions.current().query(
      `SELECT p.* FROM ${SERVICE_POLICIES_TABLE} s
         JOIN ${ESCALATION_POLICIES_TABLE} p ON p.id = s.policy_id
        WHERE s.service_id = $1`,
      [serviceId],
    );
    return rows[0] ? toPolicy(rows[0]) : undefined;
  }
}

function toPolicy(row: PolicyRow): EscalationPolicy {
  return {
    id: row.id,
    name: row.name,
    levels: row.levels,
    repeat: row.repeat,
    services: row.services,
  };
}
