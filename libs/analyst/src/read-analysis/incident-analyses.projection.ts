import { EntityManager } from 'typeorm';

import { SchemaDefinition } from '@observe/database';
import { RecordedEvent } from '@observe/event-store';
import { IncidentAnalyzedData } from '@observe/incidents';
import { Projection } from '@observe/projections';

export const incidentAnalysesSchema: SchemaDefinition = {
  name: 'incident-analyses',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS analyst`,
    `CREATE TABLE IF NOT EXISTS analyst.incident_analyses (
       incident_id uuid PRIMARY KEY,
       verdict json NOT NULL,
       event_id uuid NOT NULL,
       position text NOT NULL,
       analyzed_at timestamptz NOT NULL
     )`,
  ],
};

/** One verdict per incident, from IncidentAnalyzed; the first one stands. */
export class IncidentAnalysesProjection implements Projection {
  readonly name = 'incident-analyses';
  readonly schema = incidentAnalysesSchema;
  readonly tables = ['analyst.incident_analyses'];
  readonly filter = { eventTypes: ['IncidentAnalyzed'], streamPrefixes: ['incident-'] };

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) {
      const data = event.data as IncidentAnalyzedData;
      await manager.query(
        `INSERT INTO analyst.incident_analyses
           (incident_id, verdict, event_id, position, analyzed_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (incident_id) DO NOTHING`,
        [data.incidentId, JSON.stringify(data.verdict), event.eventId, event.position, data.at],
      );
    }
  }
}
