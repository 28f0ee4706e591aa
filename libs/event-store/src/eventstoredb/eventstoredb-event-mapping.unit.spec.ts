import { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';

import { NewEvent } from '../event-envelope';
import { testEvent } from '../testing/event-factory';
import {
  ForeignEventError,
  isForeignEvent,
  isSystemEvent,
  MissingPositionError,
  toEsdbEvent,
  toRecordedEvent,
} from './eventstoredb-event-mapping';

/** What the server would hand back for an event written with `toEsdbEvent`. */
function storedAs(event: NewEvent, overrides: Partial<EsdbRecordedEvent> = {}): EsdbRecordedEvent {
  const written = toEsdbEvent(event);
  return {
    streamId: 'incident-42',
    id: written.id,
    isJson: true,
    revision: 3n,
    type: written.type,
    created: new Date('2026-12-03T10:00:00.000Z'),
    data: JSON.parse(JSON.stringify(written.data)),
    metadata: JSON.parse(JSON.stringify(written.metadata)),
    position: { commit: 1_200n, prepare: 1_100n },
    ...overrides,
  } as EsdbRecordedEvent;
}

describe('EventStoreDB event mapping', () => {
  it('writes our id, type and data, and the schema version inside the metadata', () => {
    const event = { ...testEvent('IncidentOpened', { title: 'db down' }), schemaVersion: 3 };

    const written = toEsdbEvent(event);

    expect(written).toMatchObject({
      id: event.eventId,
      type: 'IncidentOpened',
      contentType: 'application/json',
      data: { title: 'db down' },
    });
    expect(written.metadata).toMatchObject({
      ...event.metadata,
      schemaVersion: 3,
      $correlationId: event.metadata.correlationId,
    });
  });

  it('names the causation for the server only when there is one', () => {
    const caused = testEvent('IncidentOpened', {}, { causationId: 'cmd-1' });
    const uncaused = testEvent('IncidentOpened', {}, { causationId: null });

    expect(toEsdbEvent(caused).metadata).toMatchObject({ $causationId: 'cmd-1' });
    expect(toEsdbEvent(uncaused).metadata).not.toHaveProperty('$causationId');
  });

  it('reads back exactly what was appended, with revision, position and time', () => {
    const event = testEvent(
      'IncidentOpened',
      { nested: { list: [1, 'two', null] } },
      {
        agentId: 'agent:triage-1',
        causationId: 'cmd-1',
      },
    );

    const read = toRecordedEvent(storedAs(event));

    expect(read).toStrictEqual({
      ...event,
      streamId: 'incident-42',
      revision: 3,
      position: '1200:1100',
      recordedAt: '2026-12-03T10:00:00.000Z',
    });
  });

  it('treats an event without a schema version as version 1', () => {
    const event = testEvent();
    const stored = storedAs(event);
    delete (stored.metadata as Record<string, unknown>).schemaVersion;

    expect(toRecordedEvent(stored).schemaVersion).toBe(1);
  });

  it('refuses events some other writer left: binary, or JSON that is not an object', () => {
    const event = testEvent();
    const binary = storedAs(event, { isJson: false, data: new Uint8Array([1, 2]) } as never);
    const list = storedAs(event, { data: [1, 2] } as never);

    expect(isForeignEvent(binary)).toBe(true);
    expect(isForeignEvent(list)).toBe(true);
    expect(() => toRecordedEvent(binary)).toThrow(ForeignEventError);
    expect(() => toRecordedEvent(list)).toThrow(ForeignEventError);
  });

  it('says which server version is needed when a stream read has no positions', () => {
    const stored = storedAs(testEvent(), { position: undefined });

    expect(() => toRecordedEvent(stored)).toThrow(MissingPositionError);
  });

  it('recognises system streams and system event types', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(
      true,
    );
    expect(isSystemEvent({ streamId: '$$incident-42', type: '$metadata' })).toBe(true);
    expect(isSystemEvent({ streamId: '$ce-incident', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: 'incident-42', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: 'incident-42', type: 'IncidentOpened' })).toBe(false);
  });
});
