import { EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import { MaintenanceEvent } from '../domain';
import { MAINTENANCE_EVENT_TYPES } from '../maintenance-window.aggregate';
import { AlertSuppressed } from '../suppression/alert-suppressed.event';
import {
  MAINTENANCE_WINDOWS_TABLE,
  maintenanceWindowsSchema,
  SUPPRESSED_ALERTS_TABLE,
} from './maintenance-windows.schema';

type ProjectedEvent = MaintenanceEvent | AlertSuppressed;

/** Maintenance windows and the alerts each one suppressed. */
export const maintenanceWindowsProjection: Projection = {
  name: 'operations.maintenance-windows',
  filter: {
    streamPrefixes: ['maintenance-'],
    eventTypes: [...MAINTENANCE_EVENT_TYPES, 'AlertSuppressed'],
  },
  schema: maintenanceWindowsSchema,
  tables: [MAINTENANCE_WINDOWS_TABLE, SUPPRESSED_ALERTS_TABLE],

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      await applyOne(recorded as unknown as RecordedEvent & ProjectedEvent, manager);
    }
  },
};

async function applyOne(
  event: RecordedEvent & ProjectedEvent,
  manager: EntityManager,
): Promise<void> {
  switch (event.type) {
    case 'MaintenanceScheduled': {
      const { windowId, services, startsAt, endsAt, reason } = event.data;
      await manager.query(
        `INSERT INTO ${MAINTENANCE_WINDOWS_TABLE}
           (id, services, starts_at, ends_at, reason, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'scheduled', $6)
         ON CONFLICT (id) DO NOTHING`,
        [windowId, services, startsAt, endsAt, reason, event.metadata.occurredAt],
      );
      return;
    }
    case 'MaintenanceExtended':
      await manager.query(`UPDATE ${MAINTENANCE_WINDOWS_TABLE} SET ends_at = $2 WHERE id = $1`, [
        event.data.windowId,
        event.data.endsAt,
      ]);
      return;
    case 'MaintenanceEnded':
      await manager.query(
        `UPDATE ${MAINTENANCE_WINDOWS_TABLE}
            SET status = 'ended', ends_at = $2, ended_at = $2 WHERE id = $1`,
        [event.data.windowId, event.data.endedAt],
      );
      return;
    case 'MaintenanceCancelled':
      await manager.query(
        `UPDATE ${MAINTENANCE_WINDOWS_TABLE}
            SET status = 'cancelled', cancelled_at = $2 WHERE id = $1`,
        [event.data.windowId, event.data.cancelledAt],
      );
      return;
    case 'AlertSuppressed':
      await recordSuppressed(event as RecordedEvent & AlertSuppressed, manager);
      return;
  }
}

async function recordSuppressed(
  event: RecordedEvent & AlertSuppressed,
  manager: EntityManager,
): Promise<void> {
  const { windowIds, service, dedupKey, summary, severity, source, suppressedAt } = event.data;
  for (const windowId of windowIds) {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${SUPPRESSED_ALERTS_TABLE}
         (event_id, window_id, window_ids, service, dedup_key, summary, severity, source,
          suppressed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING
       RETURNING event_id`,
      [
        event.eventId,
        windowId,
        windowIds,
        service,
        dedupKey,
        summary,
        severity,
        source,
        suppressedAt,
      ],
    );
    if (inserted.length > 0) {
      await manager.query(
        `UPDATE ${MAINTENANCE_WINDOWS_TABLE}
            SET suppressed_alerts = suppressed_alerts + 1 WHERE id = $1`,
        [windowId],
      );
    }
  }
}
