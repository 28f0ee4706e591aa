import { Injectable } from '@nestjs/common';

import { Clock, NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { decodeCursor, ListPage, toPage } from '../../shared/list-page';
import { SqlConditions } from '../../shared/sql-conditions';
import {
  activeWindowsFor,
  MaintenancePhase,
  MaintenanceStatus,
  MaintenanceWindow,
} from '../domain';
import {
  MaintenanceWindowDetail,
  MaintenanceWindowView,
  SuppressedAlertView,
  toWindowView,
} from './maintenance-window.view';
import { MAINTENANCE_WINDOWS_TABLE, SUPPRESSED_ALERTS_TABLE } from './maintenance-windows.schema';

interface WindowRow {
  id: string;
  services: string[];
  starts_at: Date;
  ends_at: Date;
  reason: string;
  status: MaintenanceStatus;
  ended_at: Date | null;
  cancelled_at: Date | null;
  suppressed_alerts: number;
}

interface SuppressedRow {
  event_id: string;
  window_ids: string[];
  service: string;
  dedup_key: string | null;
  summary: string;
  severity: string | null;
  source: string | null;
  suppressed_at: Date;
}

export interface WindowFilter {
  service?: string;
  status?: MaintenancePhase;
  limit: number;
  cursor?: string;
}

export interface SuppressedAlertFilter {
  windowId?: string;
  service?: string;
  limit: number;
  cursor?: string;
}

const LATEST_SUPPRESSED_SHOWN = 20;

// Where each phase stands at ?1 (now); cancelled windows are only ever "cancelled".
const PHASE_CONDITIONS: Record<MaintenancePhase, string> = {
  upcoming: `status <> 'cancelled' AND starts_at > ?1`,
  in_progress: `status <> 'cancelled' AND starts_at <= ?1 AND ends_at > ?1`,
  over: `status <> 'cancelled' AND ends_at <= ?1`,
  cancelled: `status = 'cancelled'`,
};

/** Reads of the maintenance windows read model; phases are judged by the injected clock. */
@Injectable()
export class MaintenanceWindowQueries {
  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  async list(filter: WindowFilter): Promise<ListPage<MaintenanceWindowView>> {
    const now = this.clock.now();
    const sql = new SqlConditions();
    if (filter.status === 'cancelled') sql.add(PHASE_CONDITIONS.cancelled);
    else if (filter.status) sql.add(PHASE_CONDITIONS[filter.status], now);
    if (filter.service) sql.add(`services @> ARRAY[?1]::text[]`, filter.service);
    const after = decodeCursor(filter.cursor);
    if (after) sql.add(`(starts_at, id) < (?1::timestamptz, ?2)`, after.sort, after.id);
    const limit = sql.param(filter.limit + 1);

    const rows: WindowRow[] = await this.transactions.current().query(
      `SELECT * FROM ${MAINTENANCE_WINDOWS_TABLE} ${sql.where()}
        ORDER BY starts_at DESC, id DESC LIMIT ${limit}`,
      sql.params,
    );
    return toPage(
      rows,
      filter.limit,
      (row) => ({ sort: row.starts_at.toISOString(), id: row.id }),
      (row) => toWindowView(toWindow(row), now, row.suppressed_alerts),
    );
  }

  async get(windowId: string): Promise<MaintenanceWindowDetail> {
    const row = await this.findRow(windowId);
    if (!row) throw new NotFoundError('maintenance window', windowId);

    const latest = await this.suppressedAlerts({ windowId, limit: LATEST_SUPPRESSED_SHOWN });
    return {
      ...toWindowView(toWindow(row), this.clock.now(), row.suppressed_alerts),
      suppressedAlerts: latest.data,
    };
  }

  /** How many alerts a window muted so far; 0 for a window not projected yet. */
  async suppressedCount(windowId: string): Promise<number> {
    return (await this.findRow(windowId))?.suppressed_alerts ?? 0;
  }

  async suppressedAlerts(filter: SuppressedAlertFilter): Promise<ListPage<SuppressedAlertView>> {
    const sql = new SqlConditions();
    if (filter.windowId) sql.add('window_id = ?1', filter.windowId);
    if (filter.service) sql.add('service = ?1', filter.service);
    const after = decodeCursor(filter.cursor);
    if (after) sql.add(`(suppressed_at, event_id) < (?1::timestamptz, ?2)`, after.sort, after.id);
    const limit = sql.param(filter.limit + 1);

    // An alert muted by overlapping windows has a row per window; list it once.
    const rows: SuppressedRow[] = await this.transactions.current().query(
      `SELECT DISTINCT ON (suppressed_at, event_id) * FROM ${SUPPRESSED_ALERTS_TABLE} ${sql.where()}
        ORDER BY suppressed_at DESC, event_id DESC LIMIT ${limit}`,
      sql.params,
    );
    return toPage(
      rows,
      filter.limit,
      (row) => ({ sort: row.suppressed_at.toISOString(), id: row.event_id }),
      toSuppressedView,
    );
  }

  /** Windows covering the service at `at`; overlapping windows each count. */
  async activeFor(service: string, at: Date): Promise<MaintenanceWindow[]> {
    const rows: WindowRow[] = await this.transactions.current().query(
      `SELECT * FROM ${MAINTENANCE_WINDOWS_TABLE}
        WHERE services @> ARRAY[$1]::text[] AND status <> 'cancelled'
          AND starts_at <= $2 AND ends_at > $2
        ORDER BY starts_at, id`,
      [service, at],
    );
    return activeWindowsFor(rows.map(toWindow), service, at);
  }

  private async findRow(windowId: string): Promise<WindowRow | undefined> {
    const rows: WindowRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM ${MAINTENANCE_WINDOWS_TABLE} WHERE id = $1`, [windowId]);
    return rows[0];
  }
}

function toWindow(row: WindowRow): MaintenanceWindow {
  return {
    id: row.id,
    services: row.services,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    reason: row.reason,
    status: row.status,
    ...(row.ended_at ? { endedAt: row.ended_at.toISOString() } : {}),
    ...(row.cancelled_at ? { cancelledAt: row.cancelled_at.toISOString() } : {}),
  };
}

function toSuppressedView(row: SuppressedRow): SuppressedAlertView {
  return {
    eventId: row.event_id,
    windowIds: row.window_ids,
    service: row.service,
    dedupKey: row.dedup_key,
    summary: row.summary,
    severity: row.severity,
    source: row.source,
    suppressedAt: row.suppressed_at.toISOString(),
  };
}
