import { RecordedEvent } from '@observe/event-store';

import { DeepLink } from './deep-links';

/**
 * Why the graph holds a node or an edge: the event it came from (id and
 * position, to cite), when and by whom, and a link back to its source.
 */
export type Evidence = {
  eventId: string;
  eventType: string;
  stream: string;
  position: string;
  at: string;
  actor: { kind: string; name: string | null; tokenId: string | null };
  agentId: string | null;
  conversationId: string | null;
  link: DeepLink;
};

export function evidenceOf(event: RecordedEvent, link: DeepLink): Evidence {
  const { actor, agentId, conversationId, occurredAt } = event.metadata;
  return {
    eventId: event.eventId,
    eventType: event.type,
    stream: event.streamId,
    position: event.position,
    at: occurredAt,
    actor: { kind: actor.kind, name: actor.name ?? null, tokenId: actor.tokenId ?? null },
    agentId: agentId ?? null,
    conversationId: conversationId ?? null,
    link,
  };
}
