import { EntityManager } from 'typeorm';

import { toDomainEvent } from '@observe/commands';
import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import {
  SCHEDULE_EVENT_TYPES,
  scheduleAggregate,
  ScheduleAggregateState,
  ScheduleEvent,
} from '../on-call-schedule.aggregate';
import { ON_CALL_SCHEDULES_TABLE, onCallSchedulesSchema } from './on-call-schedules.schema';

/**
 * Folds each schedule's events with the aggregate's own `evolve` and keeps
 * the result, so the read model can never render a schedule differently
 * from the aggregate that accepted the commands.
 */
export const onCallSchedulesProjection: Projection = {
  name: 'operations.on-call-schedules',
  filter: { streamPrefixes: ['on-call-schedule-'], eventTypes: SCHEDULE_EVENT_TYPES },
  schema: onCallSchedulesSchema,
  tables: [ON_CALL_SCHEDULES_TABLE],

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) await applyOne(event, manager);
  },
};

async function applyOne(event: RecordedEvent, manager: EntityManager): Promise<void> {
  const scheduleId = String(event.data.scheduleId);
  const [row]: Array<{ state: ScheduleAggregateState }> = await manager.query(
    `SELECT state FROM ${ON_CALL_SCHEDULES_TABLE} WHERE id = $1`,
    [scheduleId],
  );
  const before = row?.state ?? scheduleAggregate.initialState();
  const after = scheduleAggregate.evolve(before, toDomainEvent<ScheduleEvent>(event));
  if (after.schedule.status === 'absent') return;

  await manager.query(
    `INSERT INTO ${ON_CALL_SCHEDULES_TABLE} (id, name, team_id, state, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (id) DO UPDATE
       SET name = EXCLUDED.name, team_id = EXCLUDED.team_id, state = EXCLUDED.state,
           updated_at = EXCLUDED.updated_at`,
    [
      scheduleId,
      after.schedule.schedule.name,
      after.teamId,
      JSON.stringify(after),
      event.metadata.occurredAt,
    ],
  );
}
