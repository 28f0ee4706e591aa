import { Injectable } from '@nestjs/common';

import { ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';
import { parsePosition } from '@observe/event-store';

import { redactEventData } from './redaction';

export interface AuditQuery {
  agentId?: string;
  conversationId?: string;
  tokenId?: string;
  type?: string;
  stream?: string;
  from?: string;
  to?: string;
  after?: string;
  cursor?: string;
  limit: number;
}

export interface AuditEntry {
  position: string;
  eventId: string;
  type: string;
  stream: string;
  revision: number;
  recordedAt: string;
  occurredAt: string;
  actor: unknown;
  agentId: string | null;
  conversationId: string | null;
  idempotencyKey: string | null;
  correlationId: string | null;
  causationId: string | null;
  requestId: string | null;
  data: unknown;
}

interface Row {
  transaction_id: string;
  global_position: string;
  event_id: string;
  type: string;
  stream_id: string;
  stream_revision: string;
  recorded_at: Date;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * The audit trail is the event stream itself: this reads the PostgreSQL store's
 * table with filters. Only committed, gap-safe rows are shown, in global order.
 */
@Injectable()
export class AuditReader {
  constructor(private readonly transactions: Transactions) {}

  async query(query: AuditQuery): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
    const conditions = ['transaction_id < pg_snapshot_xmin(pg_current_snapshot())'];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };

    if (query.agentId) add(`metadata->>'agentId' = ?`, query.agentId);
    if (query.conversationId) add(`metadata->>'conversationId' = ?`, query.conversationId);
    if (query.tokenId) add(`(metadata->'actor')->>'tokenId' = ?`, query.tokenId);
    if (query.type) add(`type = ?`, query.type);
    if (query.stream?.endsWith('*'))
      add(`stream_id LIKE ?`, `${escapeLike(query.stream.slice(0, -1))}%`);
    else if (query.stream) add(`stream_id = ?`, query.stream);
    if (query.from) add(`recorded_at >= ?`, timestamp('from', query.from));
    if (query.to) add(`recorded_at < ?`, timestamp('to', query.to));

    const after = decodeCursor(query.cursor) ?? query.after;
    if (after) {
      const position = parsePosition(after);
      params.push(position.transactionId.toString(), position.globalPosition.toString());
      conditions.push(
        `(transaction_id, global_position) > ($${params.length - 1}::text::xid8, $${params.length}::bigint)`,
      );
    }
    params.push(query.limit + 1);

    const rows: Row[] = await this.transactions.dataSource.query(
      `SELECT transaction_id, global_position, event_id, type, stream_id, stream_revision,
              recorded_at, data, metadata
         FROM event_store.events
        WHERE ${conditions.join(' AND ')}
        ORDER BY transaction_id, global_position
        LIMIT $${params.length}`,
      params,
    );

    const page = rows.slice(0, query.limit).map(toEntry);
    const hasMore = rows.length > query.limit;
    const last = page[page.length - 1];
    return { data: page, nextCursor: hasMore && last ? encodeCursor(last.position) : null };
  }
}

function toEntry(row: Row): AuditEntry {
  const metadata = row.metadata;
  const text = (key: string): string | null =>
    typeof metadata[key] === 'string' ? (metadata[key] as string) : null;
  return {
    position: `${row.transaction_id}-${row.global_position}`,
    eventId: row.event_id,
    type: row.type,
    stream: row.stream_id,
    revision: Number(row.stream_revision),
    recordedAt: row.recorded_at.toISOString(),
    occurredAt: text('occurredAt') ?? row.recorded_at.toISOString(),
    actor: metadata.actor,
    agentId: text('agentId'),
    conversationId: text('conversationId'),
    idempotencyKey: text('idempotencyKey'),
    correlationId: text('correlationId'),
    causationId: text('causationId'),
    requestId: text('requestId'),
    data: redactEventData(row.type, row.data),
  };
}

function timestamp(field: string, value: string): Date {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    throw new ValidationError(`${field} must be an ISO-8601 time`, [
      { field, message: 'not a time' },
    ]);
  }
  return new Date(parsed);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}

export function encodeCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d+-\d+$/.test(decoded)) {
    throw new ValidationError('cursor is not one this API gave out', [
      { field: 'cursor', message: 'invalid' },
    ]);
  }
  return decoded;
}
