import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { DetectionTriggeredData } from '../evaluation/detection-triggered.event';
import { SECURITY_EVENTS_TABLE } from '../security-events/security-events.schema';
import { decodeCursor, Page, toPage } from '../shared/cursor';
import { DETECTIONS_TABLE } from './detections.schema';

export type DetectionView = DetectionTriggeredData & {
  eventId: string;
  urls: { self: string; rule: string; incident: string };
};

export type DetectionDetail = DetectionView & {
  /** The matching events as ingested, oldest first. */
  events: Array<{ id: string; occurredAt: string; receivedAt: string; event: unknown }>;
};

interface Row {
  id: string;
  triggered_at: Date;
  event_id: string;
  data: DetectionTriggeredData;
}

@Injectable()
export class DetectionQueries {
  constructor(private readonly transactions: Transactions) {}

  async list(query: {
    ruleId?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<DetectionView>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (query.ruleId) {
      params.push(query.ruleId);
      conditions.push(`rule_id = $${params.length}`);
    }
    const after = decodeCursor(query.cursor);
    if (after) {
      params.push(after.sort, after.id);
      conditions.push(
        `(triggered_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(query.limit + 1);

    const rows: Row[] = await this.transactions.current().query(
      `SELECT id, triggered_at, event_id, data FROM ${DETECTIONS_TABLE}
        ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY triggered_at DESC, id DESC
        LIMIT $${params.length}`,
      params,
    );
    return toPage(
      rows,
      query.limit,
      (row) => ({ sort: row.triggered_at.toISOString(), id: row.id }),
      toView,
    );
  }

  async get(detectionId: string): Promise<DetectionDetail> {
    const rows: Row[] = await this.transactions
      .current()
      .query(`SELECT id, triggered_at, event_id, data FROM ${DETECTIONS_TABLE} WHERE id = $1`, [
        detectionId,
      ]);
    const row = rows[0];
    if (!row) throw new NotFoundError('detection', detectionId);

    const events: Array<{ id: string; occurred_at: Date; received_at: Date; event: unknown }> =
      await this.transactions.current().query(
        `SELECT id, occurred_at, received_at, event FROM ${SECURITY_EVENTS_TABLE}
          WHERE id = ANY($1::uuid[]) ORDER BY occurred_at, seq`,
        [row.data.evidence.map((ref) => ref.securityEventId)],
      );
    return {
      ...toView(row),
      events: events.map((event) => ({
        id: event.id,
        occurredAt: event.occurred_at.toISOString(),
        receivedAt: event.received_at.toISOString(),
        event: event.event,
      })),
    };
  }
}

function toView(row: Row): DetectionView {
  return {
    ...row.data,
    eventId: row.event_id,
    urls: {
      self: `/api/v1/siem/detections/${row.id}`,
      rule: `/api/v1/siem/rules/${row.data.ruleId}`,
      incident: `/api/v1/incidents/${row.data.incidentId}`,
    },
  };
}
