import {
  EventData as EsdbEventData,
  jsonEvent,
  JSONEventType,
  RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';

import { EventData, EventMetadata, NewEvent, RecordedEvent } from '../event-envelope';
import { formatEsdbPosition } from './eventstoredb-position';
import { toRevisionNumber } from './eventstoredb-revision';

/**
 * What we store as the event's JSON metadata: ours, the schema version, and
 * the `$correlationId` / `$causationId` EventStoreDB's own tooling reads.
 */
interface StoredMetadata extends Record<string, unknown> {
  schemaVersion: number;
  $correlationId: string;
  $causationId?: string;
}

const STORE_ONLY_KEYS = ['schemaVersion', '$correlationId', '$causationId'] as const;

type StoredEventType = JSONEventType<string, EventData, StoredMetadata>;

/** Our event id becomes the server's, so a retried append carries the same ids. */
export function toEsdbEvent(event: NewEvent): EsdbEventData<StoredEventType> {
  const metadata: StoredMetadata = {
    ...event.metadata,
    schemaVersion: event.schemaVersion,
    $correlationId: event.metadata.correlationId,
  };
  if (event.metadata.causationId) metadata.$causationId = event.metadata.causationId;

  return jsonEvent<StoredEventType>({
    id: event.eventId,
    type: event.type,
    data: event.data,
    metadata,
  });
}

/** System streams (`$…`), system types (`$…`, links are `$>`) are the server's, not ours. */
export function isSystemEvent(event: Pick<EsdbRecordedEvent, 'type' | 'streamId'>): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** An event some other writer left in a user stream: not JSON objects we can read. */
export function isForeignEvent(event: EsdbRecordedEvent): boolean {
  return !event.isJson || !isPlainObject(event.data) || !isPlainObject(event.metadata);
}

export class ForeignEventError extends Error {
  constructor(streamId: string, eventId: string) {
    super(
      `event ${eventId} in ${streamId} was not written by 24observe (not JSON data and metadata)`,
    );
    this.name = 'ForeignEventError';
  }
}

export class MissingPositionError extends Error {
  constructor(streamId: string, eventId: string) {
    super(
      `EventStoreDB returned event ${eventId} of ${streamId} without its log position; ` +
        'stream reads carry positions from server version 22.10 on',
    );
    this.name = 'MissingPositionError';
  }
}

/** The event's position in `$all`, as the port's opaque string. */
export function positionOf(event: EsdbRecordedEvent): string {
  if (!event.position) throw new MissingPositionError(event.streamId, event.id);
  return formatEsdbPosition(event.position);
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const { data, metadata: stored } = event;
  if (!event.isJson || !isPlainObject(data) || !isPlainObject(stored)) {
    throw new ForeignEventError(event.streamId, event.id);
  }

  // The keys we added on write go; what is left is the metadata as appended.
  const metadata: Record<string, unknown> = { ...stored };
  for (const key of STORE_ONLY_KEYS) delete metadata[key];
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: typeof stored.schemaVersion === 'number' ? stored.schemaVersion : 1,
    data,
    metadata: metadata as unknown as EventMetadata,
    streamId: event.streamId,
    revision: toRevisionNumber(event.revision),
    position: positionOf(event),
    recordedAt: event.created.toISOString(),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}
