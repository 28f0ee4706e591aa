import { EntityManager } from 'typeorm';

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
import { INCIDENTS_TABLES, incidentsSchema } from './incidents.schema';

/**
 * One row per incident, and one per alert. Every value comes from the event
 * (its `at` and `sequence`), so a rebuild gives exactly the live rows.
 */
export class IncidentsProjection implements Projection {
  readonly name = 'incidents';
  readonly schema = incidentsSchema;
  readonly tables = INCIDENTS_TABLES;
  readonly filter = { streamPrefixes: ['incident-'], eventTypes: [...INCIDENT_EVENT_TYPES] };

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) await this.applyOne(event, manager);
  }

  private async applyOne(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const base = event.data as IncidentEventBase;
    const update = (assignments: string, values: unknown[] = []): Promise<void> =>
      manager.query(
        `UPDATE incidents.incidents SET ${assignments}, updated_at = $2, sequence = $3
          WHERE id = $1`,
        [base.incidentId, base.at, base.sequence, ...values],
      );

    switch (event.type) {
      case 'IncidentOpened':
        return this.opened(event, event.data as IncidentOpenedData, manager);
      case 'AlertAdded': {
        const data = event.data as AlertAddedData;
        await update('alert_count = $4', [data.alertCount]);
        return recordAlert(manager, event, data);
      }
      case 'IncidentAcknowledged':
        return update(`status = 'acknowledged', acknowledged_at = $2`);
      case 'IncidentResolved':
        return update(`status = 'resolved', resolved_at = $2, resolution_note = $4`, [
          (event.data as IncidentResolvedData).note,
        ]);
      case 'IncidentUpdatePosted': {
        const data = event.data as IncidentUpdatePostedData;
        return update('last_update = $4', [
          JSON.stringify({ message: data.message, links: data.links, postedAt: data.at }),
        ]);
      }
      case 'IncidentSeverityChanged':
        return update('severity = $4', [(event.data as IncidentSeverityChangedData).to]);
      case 'IncidentAssigned':
        return update('assignee = $4', [(event.data as IncidentAssignedData).assignee]);
      case 'IncidentAnalyzed':
        // A verdict is not a responder's change: only the sequence moves.
        await manager.query(
          `UPDATE incidents.incidents SET analyzed_at = $2, sequence = $3 WHERE id = $1`,
          [base.incidentId, base.at, base.sequence],
        );
        return;
    }
  }

  private async opened(
    event: RecordedEvent,
    data: IncidentOpenedData,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO incidents.incidents (id, kind, title, summary, status, severity, service,
         alert_count, dedup_key, fingerprint, source, links, opened_at, updated_at, sequence)
       VALUES ($1, $2, $3, $4, 'triggered', $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)
       ON CONFLICT (id) DO NOTHING`,
      [
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
    );
    if (data.origin !== 'alert') return;

    await recordAlert(manager, event, { ...data, summary: data.title });
  }
}

type AlertFacts = Pick<
  AlertAddedData,
  'incidentId' | 'service' | 'dedupKey' | 'summary' | 'severity' | 'source' | 'at'
>;

async function recordAlert(
  manager: EntityManager,
  event: RecordedEvent,
  alert: AlertFacts,
): Promise<void> {
  await manager.query(
    `INSERT INTO incidents.alerts (event_id, incident_id, service, dedup_key, summary, severity,
       source, received_at, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
    [
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
  );
}
