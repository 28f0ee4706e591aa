import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { decodeCursor, ListPage, toPage } from '../../shared/list-page';
import { SqlConditions } from '../../shared/sql-conditions';
import { MonitorKind, MonitorStatus } from '../domain';
import { CheckOutcome, MonitorHealth, MonitorView, PENDING_HEALTH } from './monitor.view';
import { MONITOR_RUNS_TABLE, MONITORS_TABLE } from './monitors.schema';

interface MonitorRow {
  id: string;
  name: string;
  service: string;
  kind: MonitorKind;
  settings: Record<string, unknown>;
  status: MonitorStatus;
  has_credentials: boolean;
  credentials_updated_at: Date | null;
  created_at: Date;
}

interface RunRow {
  next_run_at: Date | null;
  consecutive_failures: number | null;
  alerting: boolean | null;
  last_checked_at: Date | null;
  last_outcome: CheckOutcome | null;
  last_detail: Record<string, unknown> | null;
}

export interface MonitorFilter {
  service?: string;
  kind?: MonitorKind;
  status?: MonitorStatus;
  limit: number;
  cursor?: string;
}

// Sealed credentials are never selected for an answer: only whether they are set.
const COLUMNS = `m.id, m.name, m.service, m.kind, m.settings, m.status, m.created_at,
  m.sealed_credentials IS NOT NULL AS has_credentials, m.credentials_updated_at,
  r.next_run_at, r.consecutive_failures, r.alerting, r.last_checked_at, r.last_outcome,
  r.last_detail`;

@Injectable()
export class MonitorQueries {
  constructor(private readonly transactions: Transactions) {}

  async list(filter: MonitorFilter): Promise<ListPage<MonitorView>> {
    const sql = new SqlConditions();
    if (filter.service) sql.add('m.service = ?1', filter.service);
    if (filter.kind) sql.add('m.kind = ?1', filter.kind);
    if (filter.status) sql.add('m.status = ?1', filter.status);
    const after = decodeCursor(filter.cursor);
    if (after) sql.add('(m.created_at, m.id) < (?1::timestamptz, ?2)', after.sort, after.id);
    const limit = sql.param(filter.limit + 1);

    const rows: Array<MonitorRow & RunRow> = await this.transactions.current().query(
      `SELECT ${COLUMNS} FROM ${MONITORS_TABLE} m
         LEFT JOIN ${MONITOR_RUNS_TABLE} r ON r.monitor_id = m.id
        ${sql.where()}
        ORDER BY m.created_at DESC, m.id DESC LIMIT ${limit}`,
      sql.params,
    );
    return toPage(
      rows,
      filter.limit,
      (row) => ({ sort: row.created_at.toISOString(), id: row.id }),
      toView,
    );
  }

  async get(monitorId: string): Promise<MonitorView> {
    const rows: Array<MonitorRow & RunRow> = await this.transactions.current().query(
      `SELECT ${COLUMNS} FROM ${MONITORS_TABLE} m
         LEFT JOIN ${MONITOR_RUNS_TABLE} r ON r.monitor_id = m.id
        WHERE m.id = $1`,
      [monitorId],
    );
    if (rows.length === 0) throw new NotFoundError('monitor', monitorId);
    return toView(rows[0]);
  }

  /** The health of one monitor; pending when the scheduler has not run it yet. */
  async health(monitorId: string): Promise<MonitorHealth> {
    const rows: RunRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM ${MONITOR_RUNS_TABLE} WHERE monitor_id = $1`, [monitorId]);
    return rows[0] ? toHealth(rows[0]) : PENDING_HEALTH;
  }
}

function toView(row: MonitorRow & RunRow): MonitorView {
  return {
    id: row.id,
    name: row.name,
    service: row.service,
    kind: row.kind,
    settings: row.settings,
    status: row.status,
    credentials: {
      set: row.has_credentials,
      updatedAt: row.credentials_updated_at?.toISOString() ?? null,
    },
    health: toHealth(row),
  };
}

function toHealth(row: RunRow): MonitorHealth {
  return {
    state: row.last_outcome ?? 'pending',
    alerting: row.alerting ?? false,
    consecutiveFailures: row.consecutive_failures ?? 0,
    lastCheckedAt: row.last_checked_at?.toISOString() ?? null,
    nextCheckAt: row.next_run_at?.toISOString() ?? null,
    lastResult: row.last_detail,
  };
}
