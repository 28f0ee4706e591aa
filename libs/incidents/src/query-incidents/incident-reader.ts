import { Injectable } from '@nestjs/common';

import { NotFoundError, ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';

import {
  Incident,
  IncidentKind,
  IncidentLink,
  IncidentStatus,
  IncidentUpdate,
  Severity,
} from '../domain/incident';
import { IncidentView, toIncidentView } from '../incident-view';

export type IncidentListQuery = {
  status?: IncidentStatus;
  service?: string;
  severity?: Severity;
  kind?: IncidentKind;
  /** Opened at or after this time. */
  since?: string;
  limit: number;
  cursor?: string;
};

/** An alert an incident took, for "other alerts on the same service". */
export type AlertRecord = {
  eventId: string;
  incidentId: string;
  service: string | null;
  dedupKey: string | null;
  summary: string;
  severity: Severity;
  source: string | null;
  receivedAt: string;
  position: string;
};

interface IncidentRow {
  id: string;
  kind: IncidentKind;
  title: string;
  summary: string | null;
  status: IncidentStatus;
  severity: Severity;
  service: string | null;
  assignee: string | null;
  alert_count: number;
  dedup_key: string | null;
  fingerprint: string;
  source: string | null;
  links: IncidentLink[];
  opened_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  resolution_note: string | null;
  last_update: IncidentUpdate | null;
  analyzed_at: Date | null;
  updated_at: Date;
  sequence: number;
}

/** Reads of the incidents read model, for the API and the analyst. */
@Injectable()
export class IncidentReader {
  constructor(private readonly transactions: Transactions) {}

  async get(incidentId: string): Promise<IncidentView> {
    const incident = await this.find(incidentId);
    if (!incident) throw new NotFoundError('incident', incidentId);
    return toIncidentView(incident);
  }

  async find(incidentId: string): Promise<Incident | undefined> {
    const [row]: IncidentRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM incidents.incidents WHERE id = $1`, [incidentId]);
    return row ? toIncident(row) : undefined;
  }

  /** Newest first; the cursor holds the last (openedAt, id) of the previous page. */
  async list(
    query: IncidentListQuery,
  ): Promise<{ data: IncidentView[]; nextCursor: string | null }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: (placeholder: string) => string, value: unknown): void => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };

    if (query.status) where((p) => `status = ${p}`, query.status);
    if (query.service) where((p) => `service = ${p}`, query.service);
    if (query.severity) where((p) => `severity = ${p}`, query.severity);
    if (query.kind) where((p) => `kind = ${p}`, query.kind);
    if (query.since) where((p) => `opened_at >= ${p}`, query.since);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      params.push(after.openedAt, after.id);
      conditions.push(
        `(opened_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(query.limit + 1);

    const rows: IncidentRow[] = await this.transactions.current().query(
      `SELECT * FROM incidents.incidents
        ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY opened_at DESC, id DESC
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      data: page.map((row) => toIncidentView(toIncident(row))),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor(last.opened_at.toISOString(), last.id)
          : null,
    };
  }

  /** Earlier incidents of the service with the same fingerprint, newest first. */
  async similar(
    incident: Pick<Incident, 'id' | 'service' | 'fingerprint' | 'openedAt'>,
    limit = 5,
  ): Promise<Incident[]> {
    if (!incident.service) return [];
    const rows: IncidentRow[] = await this.transactions.current().query(
      `SELECT * FROM incidents.incidents
        WHERE service = $1 AND fingerprint = $2 AND id <> $3 AND opened_at <= $4
        ORDER BY opened_at DESC, id DESC LIMIT $5`,
      [incident.service, incident.fingerprint, incident.id, incident.openedAt, limit],
    );
    return rows.map(toIncident);
  }

  /** Incidents still open on these services, opened at or before `at`. */
  async openOn(services: string[], at: string, except: string): Promise<Incident[]> {
    if (services.length === 0) return [];
    const rows: IncidentRow[] = await this.transactions.current().query(
      `SELECT * FROM incidents.incidents
        WHERE service = ANY($1) AND status <> 'resolved' AND opened_at <= $2 AND id <> $3
        ORDER BY opened_at DESC, id`,
      [services, at, except],
    );
    return rows.map(toIncident);
  }

  /** Alerts on a service inside [from, to] that went to other incidents. */
  async alertsOn(
    service: string,
    from: string,
    to: string,
    except: string,
  ): Promise<AlertRecord[]> {
    const rows: Array<{
      event_id: string;
      incident_id: string;
      service: string | null;
      dedup_key: string | null;
      summary: string;
      severity: Severity;
      source: string | null;
      received_at: Date;
      position: string;
    }> = await this.transactions.current().query(
      `SELECT * FROM incidents.alerts
        WHERE service = $1 AND received_at >= $2 AND received_at <= $3 AND incident_id <> $4
        ORDER BY received_at DESC, event_id LIMIT 50`,
      [service, from, to, except],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      incidentId: row.incident_id,
      service: row.service,
      dedupKey: row.dedup_key,
      summary: row.summary,
      severity: row.severity,
      source: row.source,
      receivedAt: row.received_at.toISOString(),
      position: row.position,
    }));
  }
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    status: row.status,
    severity: row.severity,
    service: row.service,
    assignee: row.assignee,
    alertCount: row.alert_count,
    dedupKey: row.dedup_key,
    fingerprint: row.fingerprint,
    source: row.source,
    links: row.links,
    openedAt: row.opened_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolutionNote: row.resolution_note,
    lastUpdate: row.last_update,
    analyzedAt: row.analyzed_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
    sequence: row.sequence,
  };
}

function encodeCursor(openedAt: string, id: string): string {
  return Buffer.from(`${openedAt}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { openedAt: string; id: string } {
  const [openedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const valid =
    openedAt !== undefined &&
    !Number.isNaN(Date.parse(openedAt)) &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id ?? '');
  if (!valid) {
    throw new ValidationError('cursor is not one this API gave out', [
      { field: 'cursor', message: 'invalid' },
    ]);
  }
  return { openedAt, id };
}
