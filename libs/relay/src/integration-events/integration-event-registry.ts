import { RecordedEvent } from '@observe/event-store';

import { EventFields, idFromStream } from './event-fields';
import { IntegrationEvent, IntegrationEventPayload } from './integration-event';

/** Turns API paths into the links a payload carries. */
export interface LinkBuilder {
  (path: string): string;
}

export interface IntegrationEventDefinition {
  /** The public, dotted name subscribers choose, e.g. `incident.opened`. */
  type: string;
  /** The domain event it comes from. */
  source: string;
  description: string;
  /** Undefined when the event lacks what the payload needs (logged and skipped). */
  map(event: RecordedEvent, link: LinkBuilder): IntegrationEventPayload | undefined;
}

/** Published only by the subscriptions API, never relayed: what "send a test event" sends. */
export const TEST_EVENT_TYPE = 'webhook.test';

const MESSAGE_LENGTH = 1_000;

type Fields = Record<string, unknown>;

/**
 * The incident part every incident.* payload starts with. The incident's
 * own sequence comes from its event (1, 2, 3, ...), so receivers can order
 * events that retries delivered out of order.
 */
function incidentPayload(
  event: RecordedEvent,
  link: LinkBuilder,
  fields: (data: EventFields) => Fields,
): IntegrationEventPayload | undefined {
  const data = new EventFields(event.data);
  const incidentId = data.string('incidentId') ?? idFromStream(event.streamId, 'incident');
  if (!incidentId) return undefined;

  const path = `/api/v1/incidents/${incidentId}`;
  return {
    incidentId,
    service: data.string('service'),
    ...fields(data),
    occurredAt: event.metadata.occurredAt,
    links: { incident: link(path), timeline: link(`${path}/timeline`) },
  };
}

function incidentEvent(
  type: string,
  source: string,
  description: string,
  fields: (data: EventFields) => Fields = () => ({}),
): IntegrationEventDefinition {
  return {
    type,
    source,
    description,
    map: (event, link) => incidentPayload(event, link, fields),
  };
}

/**
 * Events other teams own and shape: the payload takes the named scalar
 * fields that are present, the subject's id from the stream when the data
 * lacks it, and a link to the incident when one is named.
 */
function foreignEvent(
  type: string,
  source: string,
  description: string,
  subject: { category: string; idField: string },
  fieldNames: readonly string[],
): IntegrationEventDefinition {
  return {
    type,
    source,
    description,
    map: (event, link) => {
      const data = new EventFields(event.data);
      const picked = data.scalars([subject.idField, ...fieldNames]);
      const subjectId = picked[subject.idField] ?? idFromStream(event.streamId, subject.category);
      if (typeof subjectId !== 'string') return undefined;

      const incidentId = data.string('incidentId');
      const links: Record<string, string> = incidentId
        ? { incident: link(`/api/v1/incidents/${incidentId}`) }
        : {};
      return {
        ...picked,
        [subject.idField]: subjectId,
        occurredAt: event.metadata.occurredAt,
        links,
      };
    },
  };
}

const DEFINITIONS: IntegrationEventDefinition[] = [
  incidentEvent('incident.opened', 'IncidentOpened', 'An incident was opened.', (data) => ({
    kind: data.string('kind'),
    title: data.string('title'),
    severity: data.string('severity'),
    origin: data.string('origin'),
    source: data.string('source'),
    dedupKey: data.string('dedupKey'),
  })),
  incidentEvent(
    'incident.acknowledged',
    'IncidentAcknowledged',
    'A responder or an alert acknowledged the incident.',
    (data) => ({ via: data.string('via') }),
  ),
  incidentEvent('incident.resolved', 'IncidentResolved', 'The incident was resolved.', (data) => ({
    via: data.string('via'),
  })),
  incidentEvent(
    'incident.updated',
    'IncidentUpdatePosted',
    'A status update was posted on the incident.',
    (data) => ({ message: data.string('message', MESSAGE_LENGTH) }),
  ),
  incidentEvent(
    'incident.severity_changed',
    'IncidentSeverityChanged',
    "The incident's severity changed.",
    (data) => ({ from: data.string('from'), to: data.string('to') }),
  ),
  incidentEvent(
    'incident.assigned',
    'IncidentAssigned',
    'The incident was assigned to someone.',
    (data) => ({ assignee: data.string('assignee') }),
  ),
  incidentEvent(
    'incident.alert_added',
    'AlertAdded',
    'Another alert joined an open incident.',
    (data) => ({ alertCount: data.number('alertCount'), severity: data.string('severity') }),
  ),
  incidentEvent(
    'incident.analyzed',
    'IncidentAnalyzed',
    'The analyst recorded its verdict on the incident.',
    (data) => ({
      verdictStatus: data.record('verdict').string('status'),
      verdictSummary: data.record('verdict').string('summary', MESSAGE_LENGTH),
    }),
  ),
  incidentEvent(
    'incident.escalated',
    'IncidentEscalated',
    'Nobody acknowledged in time: the next level of the escalation policy was paged.',
    (data) => ({
      policyId: data.string('policyId'),
      level: data.number('level'),
      round: data.number('round'),
      reason: data.string('reason'),
      notified: data.strings('notified'),
    }),
  ),
  foreignEvent(
    'detection.triggered',
    'DetectionTriggered',
    'A detection rule fired and opened a security incident.',
    { category: 'detection', idField: 'detectionId' },
    [
      'ruleId',
      'ruleVersion',
      'ruleTitle',
      'level',
      'severity',
      'groupBy',
      'group',
      'count',
      'windowStart',
      'windowEnd',
      'incidentId',
    ],
  ),
  foreignEvent(
    'ai-agent.spend_spiked',
    'AgentSpendSpiked',
    "An AI agent's spend for the day rose well above its baseline.",
    { category: 'ai-agent', idField: 'agentId' },
    ['day', 'spendToday', 'factor', 'threshold', 'minimumSpend', 'currency'],
  ),
];

export interface IntegrationEventTypeInfo {
  type: string;
  source: string;
  description: string;
}

/**
 * Which domain events leave the platform, under which public names and in
 * which shape. The relay maps with it; the subscriptions API checks the
 * types subscribers ask for against it.
 */
export class IntegrationEventRegistry {
  private readonly bySource = new Map<string, IntegrationEventDefinition>();
  private readonly byType = new Map<string, IntegrationEventDefinition>();

  constructor(definitions: readonly IntegrationEventDefinition[] = DEFINITIONS) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type) || this.bySource.has(definition.source)) {
        throw new Error(`integration event ${definition.type} is defined twice`);
      }
      this.byType.set(definition.type, definition);
      this.bySource.set(definition.source, definition);
    }
  }

  /** The domain event types worth reading: the relay's store filter. */
  sourceTypes(): string[] {
    return [...this.bySource.keys()];
  }

  types(): IntegrationEventTypeInfo[] {
    return [...this.byType.values()].map(({ type, source, description }) => ({
      type,
      source,
      description,
    }));
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  /** A type, `<family>.*` (every type of a family, e.g. `incident.*`) or `*` (every type). */
  isSubscribable(pattern: string): boolean {
    if (pattern === '*' || this.has(pattern)) return true;

    return [...this.byType.keys()].some((type) => familyPattern(type) === pattern);
  }

  /**
   * The integration event for a domain event: its id is the domain event's
   * (the webhook-id receivers dedupe on). Undefined when the type does not
   * leave the platform, or the data lacks what the payload needs.
   */
  map(event: RecordedEvent, link: LinkBuilder): IntegrationEvent | undefined {
    const definition = this.bySource.get(event.type);
    const mapped = definition?.map(event, link);
    if (!definition || !mapped) return undefined;

    const declared = typeof event.data.sequence === 'number' ? event.data.sequence : undefined;
    const { occurredAt, links, ...fields } = mapped;
    return {
      id: event.eventId,
      type: definition.type,
      timestamp: event.metadata.occurredAt,
      data: { ...fields, sequence: declared ?? event.revision + 1, occurredAt, links },
    };
  }
}

/** Links relative to the API, or absolute under PUBLIC_BASE_URL. */
export function linkBuilder(publicBaseUrl?: string): LinkBuilder {
  const base = publicBaseUrl?.replace(/\/+$/, '') ?? '';
  return (path) => `${base}${path}`;
}

/** The pattern that names every type of `type`'s family: `incident.opened` → `incident.*`. */
export function familyPattern(type: string): string {
  return `${type.split('.')[0]}.*`;
}

/** Does a subscription's pattern list take events of `type`? */
export function patternsMatch(patterns: readonly string[], type: string): boolean {
  const family = familyPattern(type);
  return patterns.some((pattern) => pattern === '*' || pattern === type || pattern === family);
}
