/**
 * The public shape of an integration event: what Kafka carries between the
 * workers and what a webhook receiver gets as its body. Small on purpose:
 * ids, key fields and links; the API has the rest.
 */
export interface IntegrationEvent {
  /** The domain event's id: stable across retries and re-sends, the `webhook-id`. */
  id: string;
  /** Dotted lower case, e.g. `incident.opened`. */
  type: string;
  /** When it happened in the domain (ISO-8601), as the domain event says. */
  timestamp: string;
  data: IntegrationEventData;
}

/** What a mapping yields: ids and key fields, when it happened and where to read more. */
export interface IntegrationEventPayload {
  [field: string]: unknown;
  occurredAt: string;
  /** Absolute when PUBLIC_BASE_URL is set, else paths on the API. */
  links: Record<string, string>;
}

export interface IntegrationEventData extends IntegrationEventPayload {
  /** The subject's position in its own stream (1, 2, 3, ...): receivers order by it. */
  sequence: number;
}

/** Kafka headers the relay sets beside the standard `correlation-id`. */
export const INTEGRATION_EVENT_HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  causationId: 'causation-id',
} as const;

export class MalformedIntegrationEventError extends Error {
  constructor(reason: string) {
    super(`not an integration event: ${reason}`);
    this.name = 'MalformedIntegrationEventError';
  }
}

/** Serialises an event; these exact bytes travel on Kafka and become the webhook body. */
export function encodeIntegrationEvent(event: IntegrationEvent): string {
  return JSON.stringify(event);
}

/**
 * Reads an event off the wire. Throws MalformedIntegrationEventError for
 * anything else: a consumer treats that as poison, since it never improves.
 */
export function decodeIntegrationEvent(bytes: Buffer | string): IntegrationEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch {
    throw new MalformedIntegrationEventError('the value is not JSON');
  }
  if (!isRecord(parsed)) throw new MalformedIntegrationEventError('the value is not an object');

  const { id, type, timestamp, data } = parsed;
  if (typeof id !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(id)) {
    throw new MalformedIntegrationEventError('id must be 1 to 256 printable ASCII characters');
  }
  if (typeof type !== 'string' || !/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/.test(type)) {
    throw new MalformedIntegrationEventError('type must be dotted lower case');
  }
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) {
    throw new MalformedIntegrationEventError('timestamp must be an ISO-8601 time');
  }
  if (!isRecord(data) || typeof data.sequence !== 'number' || typeof data.occurredAt !== 'string') {
    throw new MalformedIntegrationEventError('data must carry sequence and occurredAt');
  }
  const links = isRecord(data.links) ? data.links : {};
  return {
    id,
    type,
    timestamp,
    data: {
      ...data,
      sequence: data.sequence,
      occurredAt: data.occurredAt,
      links: stringValues(links),
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringValues(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}
