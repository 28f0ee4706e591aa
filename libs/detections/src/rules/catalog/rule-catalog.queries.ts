import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { IncidentSeverity, ParsedSigmaRule, SigmaLevel } from '../../sigma';
import { decodeCursor, Page, toPage } from '../../shared/cursor';
import { RuleStatus } from '../domain/detection-rule';
import { RULES_TABLE } from './rule-catalog.schema';
import { RuleDetail, RuleSummary, summaryOf } from './rule-view';

export interface RuleListQuery {
  status?: RuleStatus;
  severity?: IncidentSeverity;
  level?: SigmaLevel;
  tactic?: string;
  technique?: string;
  limit: number;
  cursor?: string;
}

/** An active rule as the detector needs it: the parsed current version. */
export interface ActiveRule {
  id: string;
  version: number;
  rule: ParsedSigmaRule;
}

interface CatalogRow {
  id: string;
  published_at: Date;
  detail: RuleDetail;
}

/** Reads of the detection catalog (the read model, not the streams). */
@Injectable()
export class RuleCatalogQueries {
  constructor(private readonly transactions: Transactions) {}

  async list(query: RuleListQuery): Promise<Page<RuleSummary>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };

    if (query.status) where((p) => `status = ${p}`, query.status);
    if (query.severity) where((p) => `severity = ${p}`, query.severity);
    if (query.level) where((p) => `level = ${p}`, query.level);
    if (query.tactic) where((p) => `${p} = ANY(tactics)`, query.tactic.toLowerCase());
    if (query.technique) where((p) => `${p} = ANY(techniques)`, query.technique.toUpperCase());
    const after = decodeCursor(query.cursor);
    if (after) {
      params.push(after.sort, after.id);
      const [sort, id] = [`$${params.length - 1}`, `$${params.length}`];
      conditions.push(`(published_at, id) < (${sort}::timestamptz, ${id}::uuid)`);
    }
    params.push(query.limit + 1);

    const rows: CatalogRow[] = await this.transactions.current().query(
      `SELECT id, published_at, detail FROM ${RULES_TABLE}
        ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY published_at DESC, id DESC
        LIMIT $${params.length}`,
      params,
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ sort: row.published_at.toISOString(), id: row.id }),
      (row) => summaryOf(row.detail),
    );
  }

  async get(ruleId: string): Promise<RuleDetail> {
    const rows: CatalogRow[] = await this.transactions
      .current()
      .query(`SELECT id, published_at, detail FROM ${RULES_TABLE} WHERE id = $1`, [ruleId]);
    const row = rows[0];
    if (!row) throw new NotFoundError('rule', ruleId);
    return row.detail;
  }

  async active(): Promise<ActiveRule[]> {
    const rows: ActiveRule[] = await this.transactions
      .current()
      .query(`SELECT id, version, rule FROM ${RULES_TABLE} WHERE status = 'active' ORDER BY id`);
    return rows;
  }
}
