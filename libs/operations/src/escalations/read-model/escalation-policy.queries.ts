import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { ListPage, newestFirstPage } from '../../shared/list-page';
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
    const conditions = new SqlConditions();
    if (filter.service) conditions.add('services @> ARRAY[?1]::text[]', filter.service);
    return newestFirstPage(
      this.transactions.current(),
      ESCALATION_POLICIES_TABLE,
      conditions,
      filter,
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
