import { randomUUID } from 'node:crypto';

import { EventData, EventMetadata, NewEvent, RecordedEvent } from '../event-envelope';

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

/** A stored event with the given revision and position, for code that only moves events along. */
export function recordedTestEvent(sequence: number, position: string): RecordedEvent {
  return {
    eventId: `e${sequence}`,
    type: 'Tested',
    schemaVersion: 1,
    data: {},
    metadata: {} as RecordedEvent['metadata'],
    streamId: 'test-1',
    revision: sequence,
    position,
    recordedAt: new Date(0).toISOString(),
  };
}
