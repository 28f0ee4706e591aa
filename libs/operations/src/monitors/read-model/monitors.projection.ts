import { EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import { MONITOR_EVENT_TYPES, MonitorEvent } from '../domain';
import { MONITORS_TABLE, monitorsSchema } from './monitors.schema';

/** Monitors as the API lists them, and as the checks read their settings. */
export const monitorsProjection: Projection = {
  name: 'operations.monitors',
  filter: { streamPrefixes: ['monitor-'], eventTypes: [...MONITOR_EVENT_TYPES] },
  schema: monitorsSchema,
  tables: [MONITORS_TABLE],

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      await applyOne(recorded as unknown as RecordedEvent & MonitorEvent, manager);
    }
  },
};

async function applyOne(event: RecordedEvent & MonitorEvent, manager: EntityManager) {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'MonitorCreated': {
      const { monitorId, name, service, kind, settings, credentials } = event.data;
      await manager.query(
        `INSERT INTO ${MONITORS_TABLE} (id, name, service, kind, settings, status,
           sealed_credentials, credentials_updated_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $8)
         ON CONFLICT (id) DO NOTHING`,
        [
          monitorId,
          name,
          service,
          kind,
          JSON.stringify(settings),
          credentials?.ciphertext ?? null,
          credentials?.updatedAt ?? null,
          at,
        ],
      );
      return;
    }
    case 'MonitorTuned':
      await manager.query(
        `UPDATE ${MONITORS_TABLE} SET name = $2, settings = $3, updated_at = $4 WHERE id = $1`,
        [event.data.monitorId, event.data.name, JSON.stringify(event.data.settings), at],
      );
      return;
    case 'MonitorCredentialsReplaced': {
      const { monitorId, credentials } = event.data;
      await manager.query(
        `UPDATE ${MONITORS_TABLE}
            SET sealed_credentials = $2, credentials_updated_at = $3, updated_at = $4
          WHERE id = $1`,
        [monitorId, credentials?.ciphertext ?? null, credentials?.updatedAt ?? null, at],
      );
      return;
    }
    case 'MonitorPaused':
    case 'MonitorResumed':
      await manager.query(
        `UPDATE ${MONITORS_TABLE} SET status = $2, updated_at = $3 WHERE id = $1`,
        [event.data.monitorId, event.type === 'MonitorPaused' ? 'paused' : 'active', at],
      );
      return;
  }
}
