import { SqlStatement } from '@observe/database';
import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import {
  AlertAddedData,
  INCIDENT_EVENT_TYPES,
  IncidentAssignedData,
  IncidentEventBase,
  IncidentOpenedData,
  IncidentResolvedData,
  IncidentSeverityChangedData,
  IncidentUpdatePostedData,
} from '../domain/incident.events';
import { CHANGEABLE_COLUMNS, INCIDENTS_TABLES, incidentsSchema } from './incidents.schema';

type IncidentChanges = {
  -readonly [column in keyof typeof CHANGEABLE_COLUMNS]?: string | number | null;
} & {
  id: string;
  sequence: number;
};

/**
 * One row per incident, and one per alert. Every value comes from the event
 * (its `at` and `sequence`), so a rebuild gives exactly the live rows. A
 * batch inserts what it opens, then changes every incident it touches in one
 * statement, each column taking the last value the batch gave it.
 */
export class IncidentsProjection implements Projection {
  readonly name = 'incidents';
  readonly schema = incidentsSchema;
  readonly tables = INCIDENTS_TABLES;
  readonly filter = { streamPrefixes: ['incident-'], eventTypes: [...INCIDENT_EVENT_TYPES] };

  writes(events: RecordedEvent[]): SqlStatement[] {
    // An incident's events come after its IncidentOpened, so inserting first
    // and changing after keeps the order that matters.
    const statements: SqlStatement[] = [];
    const changes = new Map<string, IncidentChanges>();
    for (const event of events) {
      if (event.type === 'IncidentOpened') {
        statements.push(...openedIncident(event, event.data as IncidentOpenedData));
        continue;
      }
      if (event.type === 'AlertAdded') {
        statements.push(recordedAlert(event, event.data as AlertAddedData));
      }
      collectChanges(changes, event);
    }

    if (changes.size > 0) {
      statements.push({
        sql: `SELECT incidents.apply_changes($1::jsonb)`,
        values: [JSON.stringify([...changes.values()])],
      });
    }
    return statements;
  }
}

function openedIncident(event: RecordedEvent, data: IncidentOpenedData): SqlStatement[] {
  const incident = {
    sql: `INSERT INTO incidents.incidents (id, kind, title, summary, status, severity, service,
            alert_count, dedup_key, fingerprint, source, links, opened_at, updated_at, sequence)
          VALUES ($1, $2, $3, $4, 'triggered', $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)
          ON CONFLICT (id) DO NOTHING`,
    values: [
      data.incidentId,
      data.kind,
      data.title,
      data.summary,
      data.severity,
      data.service,
      data.origin === 'alert' ? 1 : 0,
      data.dedupKey,
      data.fingerprint,
      data.source,
      JSON.stringify(data.links),
      data.at,
      data.sequence,
    ],
  };
  if (data.origin !== 'alert') return [incident];

  return [incident, recordedAlert(event, { ...data, summary: data.title })];
}

type AlertFacts = Pick<
  AlertAddedData,
  'incidentId' | 'service' | 'dedupKey' | 'summary' | 'severity' | 'source' | 'at'
>;

function recordedAlert(event: RecordedEvent, alert: AlertFacts): SqlStatement {
  return {
    sql: `INSERT INTO incidents.alerts (event_id, incident_id, service, dedup_key, summary,
            severity, source, received_at, position)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
    values: [
      event.eventId,
      alert.incidentId,
      alert.service,
      alert.dedupKey,
      alert.summary,
      alert.severity,
      alert.source,
      alert.at,
      event.position,
    ],
  };
}

/** Folds one event into its incident's pending changes; later events overwrite earlier ones. */
function collectChanges(changes: Map<string, IncidentChanges>, event: RecordedEvent): void {
  const base = event.data as IncidentEventBase;
  const incident = changes.get(base.incidentId) ?? { id: base.incidentId, sequence: 0 };
  changes.set(base.incidentId, incident);
  incident.sequence = base.sequence;
  // A verdict is not a responder's change: it leaves updated_at alone.
  if (event.type !== 'IncidentAnalyzed') incident.updated_at = base.at;

  switch (event.type) {
    case 'AlertAdded':
      incident.alert_count = (event.data as AlertAddedData).alertCount;
      return;
    case 'IncidentAcknowledged':
      incident.status = 'acknowledged';
      incident.acknowledged_at = base.at;
      return;
    case 'IncidentResolved':
      incident.status = 'resolved';
      incident.resolved_at = base.at;
      incident.resolution_note = (event.data as IncidentResolvedData).note;
      return;
    case 'IncidentUpdatePosted': {
      const data = event.data as IncidentUpdatePostedData;
      // Kept as text, so the stored JSON keeps the order of its fields.
      incident.last_update = JSON.stringify({
        message: data.message,
        links: data.links,
        postedAt: data.at,
      });
      return;
    }
    case 'IncidentSeverityChanged':
      incident.severity = (event.data as IncidentSeverityChangedData).to;
      return;
    case 'IncidentAssigned':
      incident.assignee = (event.data as IncidentAssignedData).assignee;
      return;
    case 'IncidentAnalyzed':
      incident.analyzed_at = base.at;
      return;
  }
}
