import { EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import {
  DETECTION_STREAM_PREFIX,
  DetectionTriggeredData,
} from '../evaluation/detection-triggered.event';
import { DETECTIONS_TABLE, detectionsSchema } from './detections.schema';

/** Every detection, newest first, for the siem detections API. */
export class DetectionsProjection implements Projection {
  readonly name = 'detections.detections';
  readonly schema = detectionsSchema;
  readonly tables = [DETECTIONS_TABLE];
  readonly filter = {
    streamPrefixes: [DETECTION_STREAM_PREFIX],
    eventTypes: ['DetectionTriggered'],
  };

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) {
      const data = event.data as DetectionTriggeredData;
      await manager.query(
        `INSERT INTO ${DETECTIONS_TABLE}
           (id, rule_id, triggered_at, severity, incident_id, event_id, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO NOTHING`,
        [
          data.detectionId,
          data.ruleId,
          data.at,
          data.severity,
          data.incidentId,
          event.eventId,
          JSON.stringify(data),
        ],
      );
    }
  }
}
