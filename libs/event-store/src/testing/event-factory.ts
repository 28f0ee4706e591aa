import { randomUUID } from 'node:crypto';

import { EventData, EventMetadata, NewEvent } from '../event-envelope';

export function testMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actor: { kind: 'system', name: 'contract-suite' },
    correlationId: randomUUID(),
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

export function testEvent(
  type = 'ThingHappened',
  data: EventData = {},
  metadata?: Partial<EventMetadata>,
): NewEvent {
  return { eventId: randomUUID(), type, schemaVersion: 1, data, metadata: testMetadata(metadata) };
}

export function testEvents(count: number, type = 'ThingHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => testEvent(type, { index }));
}

/** A stream id no other test uses: `<category>-<random>`. */
export function uniqueStream(category = 'contract'): string {
  return `${category}-${randomUUID()}`;
}
