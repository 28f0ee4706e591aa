import { Injectable } from '@nestjs/common';

import { redactSecrets } from '@observe/access';
import { NotFoundError, ValidationError } from '@observe/core';
import { Actor, EventStore, RecordedEvent } from '@observe/event-store';

import { incidentStreamId } from '../domain/incident';

export type TimelineEntry = {
  sequence: number;
  eventId: string;
  type: string;
  position: string;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  agentId: string | null;
  conversationId: string | null;
  correlationId: string;
  causationId: string | null;
  data: unknown;
};

/**
 * An incident's history read from its own event stream (not a read model):
 * who did what, with agent and conversation ids, secrets redacted.
 */
@Injectable()
export class IncidentTimeline {
  constructor(private readonly store: EventStore) {}

  async read(
    incidentId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ data: TimelineEntry[]; nextCursor: string | null }> {
    const from = page.cursor ? decodeCursor(page.cursor) : 0;
    const events = await this.store.readStream(incidentStreamId(incidentId), {
      fromRevision: from,
      maxCount: page.limit + 1,
    });
    if (events.length === 0 && from === 0) throw new NotFoundError('incident', incidentId);

    const shown = events.slice(0, page.limit);
    const last = shown[shown.length - 1];
    return {
      data: shown.map(toEntry),
      nextCursor: events.length > page.limit && last ? encodeCursor(last.revision + 1) : null,
    };
  }
}

function toEntry(event: RecordedEvent): TimelineEntry {
  const { metadata } = event;
  return {
    sequence: event.revision + 1,
    eventId: event.eventId,
    type: event.type,
    position: event.position,
    occurredAt: metadata.occurredAt,
    recordedAt: event.recordedAt,
    actor: metadata.actor,
    agentId: metadata.agentId ?? null,
    conversationId: metadata.conversationId ?? null,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId ?? null,
    data: redactSecrets(event.data),
  };
}

function encodeCursor(revision: number): string {
  return Buffer.from(`r${revision}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^r(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new ValidationError('cursor is not one this API gave out', [
      { field: 'cursor', message: 'invalid' },
    ]);
  }
  return Number(match[1]);
}
