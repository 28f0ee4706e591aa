/** Who caused an event: an agent's scoped token, a person's full token, or the platform. */
export type ActorKind = 'agent' | 'user' | 'system';

export interface Actor {
  kind: ActorKind;
  tokenId?: string;
  name?: string;
}

/** Metadata every event carries; the audit trail is built from it. */
export interface EventMetadata {
  actor: Actor;
  agentId?: string | null;
  conversationId?: string | null;
  idempotencyKey?: string | null;
  correlationId: string;
  causationId?: string | null;
  requestId?: string | null;
  /** ISO-8601 time the change happened in the domain. */
  occurredAt: string;
}

export type EventData = Record<string, unknown>;

/** An event about to be appended. */
export interface NewEvent<TData extends EventData = EventData> {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: TData;
  metadata: EventMetadata;
}

/**
 * An event read back from the store. `position` is an opaque string: only the
 * store that produced it can compare it (see `EventStore.comparePositions`).
 */
export interface RecordedEvent<TData extends EventData = EventData> extends NewEvent<TData> {
  streamId: string;
  revision: number;
  position: string;
  recordedAt: string;
}
