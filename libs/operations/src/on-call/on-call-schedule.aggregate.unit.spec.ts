import { NotFoundError } from '@observe/core';

import { aLayer } from './domain/testing/schedule-factory';
import { scheduleAggregate, ScheduleEvent } from './on-call-schedule.aggregate';

const created: ScheduleEvent = {
  type: 'ScheduleCreated',
  data: { scheduleId: 's-1', name: 'Primary', timeZone: 'UTC', layers: [aLayer()] },
};
const fold = (events: ScheduleEvent[]) =>
  events.reduce(scheduleAggregate.evolve, scheduleAggregate.initialState());
const now = new Date('2026-03-01T12:00:00Z');

describe('on-call schedule aggregate', () => {
  const assign = (teamId: string | null) => ({
    type: 'AssignScheduleTeam' as const,
    data: { scheduleId: 's-1', teamId },
  });

  it('assigns a team once, and moves it when asked', () => {
    const first = scheduleAggregate.decide(assign('payments'), fold([created]), now);
    const state = fold([created, ...first]);

    expect(first).toEqual([{ type: 'ScheduleTeamAssigned', data: assign('payments').data }]);
    expect(state.teamId).toBe('payments');
    expect(scheduleAggregate.decide(assign('payments'), state, now)).toEqual([]);
    expect(scheduleAggregate.decide(assign(null), state, now)).toHaveLength(1);
  });

  it('refuses a team for a schedule that does not exist', () => {
    expect(() => scheduleAggregate.decide(assign('payments'), fold([]), now)).toThrow(
      NotFoundError,
    );
  });

  it('leaves the domain state to the domain', () => {
    const state = fold([created]);

    expect(state.schedule.status).toBe('active');
    expect(
      scheduleAggregate.decide(
        { type: 'ReplaceLayers', data: { scheduleId: 's-1', layers: [] } },
        state,
        now,
      ),
    ).toEqual([{ type: 'ScheduleLayersReplaced', data: { scheduleId: 's-1', layers: [] } }]);
  });
});
