import { FieldError, SAFE_ID, SAFE_ID_RULE } from '@observe/core';

import { NewEvent } from './event-envelope';
import { InvalidEventError } from './event-store.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{1,99}$/;
const STREAM_ID = /^[a-z][a-z0-9-]{0,63}-[A-Za-z0-9._:@-]{1,200}$/;
const ACTOR_KINDS = new Set(['agent', 'user', 'system']);

/** Stream ids are `<category>-<id>`, e.g. `incident-7f3c…`. */
export function assertValidStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || !STREAM_ID.test(streamId)) {
    throw new InvalidEventError(`"${String(streamId)}" is not a valid stream id`, [
      { field: 'streamId', message: 'expected <category>-<id>, e.g. incident-42' },
    ]);
  }
}

/**
 * Checks a whole batch before anything is written, so a malformed event
 * refuses the append as a whole and nothing partial lands.
 */
export function assertValidEvents(events: NewEvent[]): void {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidEventError('an append needs at least one event', [
      { field: 'events', message: 'must be a non-empty array' },
    ]);
  }

  const errors: FieldError[] = [];
  const seen = new Set<string>();
  events.forEach((event, index) => {
    const at = `events[${index}]`;
    if (!event || typeof event !== 'object') {
      errors.push({ field: at, message: 'must be an object' });
      return;
    }
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      errors.push({ field: `${at}.eventId`, message: 'must be a UUID' });
    } else if (seen.has(event.eventId.toLowerCase())) {
      errors.push({ field: `${at}.eventId`, message: 'appears twice in one append' });
    } else {
      seen.add(event.eventId.toLowerCase());
    }
    if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type)) {
      errors.push({ field: `${at}.type`, message: 'must be PascalCase, e.g. IncidentOpened' });
    }
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      errors.push({ field: `${at}.schemaVersion`, message: 'must be an integer of at least 1' });
    }
    if (!isPlainJsonObject(event.data)) {
      errors.push({ field: `${at}.data`, message: 'must be a JSON object' });
    }
    errors.push(...metadataErrors(event.metadata, `${at}.metadata`));
  });

  if (errors.length > 0) {
    throw new InvalidEventError(`append refused: ${errors[0].field} ${errors[0].message}`, errors);
  }
}

function metadataErrors(metadata: NewEvent['metadata'], at: string): FieldError[] {
  if (!metadata || typeof metadata !== 'object') return [{ field: at, message: 'is required' }];

  const errors: FieldError[] = [];
  const actor = metadata.actor;
  if (!actor || typeof actor !== 'object' || !ACTOR_KINDS.has(actor.kind)) {
    errors.push({ field: `${at}.actor.kind`, message: 'must be agent, user or system' });
  }
  if (typeof metadata.correlationId !== 'string' || metadata.correlationId.length === 0) {
    errors.push({ field: `${at}.correlationId`, message: 'is required' });
  }
  if (typeof metadata.occurredAt !== 'string' || Number.isNaN(Date.parse(metadata.occurredAt))) {
    errors.push({ field: `${at}.occurredAt`, message: 'must be an ISO-8601 time' });
  }
  for (const field of ['agentId', 'conversationId'] as const) {
    const value = metadata[field];
    if (value !== undefined && value !== null && !SAFE_ID.test(value)) {
      errors.push({ field: `${at}.${field}`, message: SAFE_ID_RULE });
    }
  }
  if (!isJsonValue(metadata)) errors.push({ field: at, message: 'must be JSON-serialisable' });
  return errors;
}

function isPlainJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isJsonValue(value);
}

/** True for values that survive JSON unchanged: no undefined in arrays, NaN, bigint, cycles. */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
      if (
        Object.getPrototypeOf(value) !== Object.prototype &&
        Object.getPrototypeOf(value) !== null
      ) {
        return false;
      }
      return Object.values(value as Record<string, unknown>).every(
        (item) => item === undefined || isJsonValue(item, depth + 1),
      );
    default:
      return false;
  }
}
