import { Decider } from '@observe/commands';
import { IllegalStateError, NotFoundError } from '@observe/core';

import {
  decideOnCallSchedule,
  evolveOnCallSchedule,
  initialOnCallScheduleState,
  OnCallSchedule,
  OnCallScheduleCommand,
  OnCallScheduleEvent,
  OnCallScheduleState,
} from './domain';

/** Which team a schedule covers, for "who is on call for this team". Null: no team. */
export type AssignScheduleTeam = {
  type: 'AssignScheduleTeam';
  data: { scheduleId: string; teamId: string | null };
};

export type ScheduleTeamAssigned = {
  type: 'ScheduleTeamAssigned';
  data: { scheduleId: string; teamId: string | null };
};

export type ScheduleCommand = OnCallScheduleCommand | AssignScheduleTeam;
export type ScheduleEvent = OnCallScheduleEvent | ScheduleTeamAssigned;

/** The domain's schedule, plus the team it answers for. */
export interface ScheduleAggregateState {
  schedule: OnCallScheduleState;
  teamId: string | null;
}

const DOMAIN_EVENT_TYPES = new Set<string>([
  'ScheduleCreated',
  'ScheduleLayersReplaced',
  'OnCallOverrideScheduled',
  'OnCallOverrideCancelled',
]);

export const SCHEDULE_EVENT_TYPES = [...DOMAIN_EVENT_TYPES, 'ScheduleTeamAssigned'];

export const scheduleAggregate: Decider<ScheduleAggregateState, ScheduleCommand, ScheduleEvent> = {
  initialState: () => ({ schedule: initialOnCallScheduleState, teamId: null }),

  evolve(state, event) {
    if (event.type === 'ScheduleTeamAssigned') return { ...state, teamId: event.data.teamId };
    if (!DOMAIN_EVENT_TYPES.has(event.type)) return state;
    return { ...state, schedule: evolveOnCallSchedule(state.schedule, event) };
  },

  decide(command, state, now) {
    if (command.type !== 'AssignScheduleTeam') {
      return decideOnCallSchedule(state.schedule, command, now);
    }
    const { scheduleId, teamId } = command.data;
    if (state.schedule.status === 'absent') throw new NotFoundError('on-call schedule', scheduleId);
    if (state.teamId === teamId) return [];
    return [{ type: 'ScheduleTeamAssigned', data: { scheduleId, teamId } }];
  },
};

export function scheduleStream(scheduleId: string): string {
  return `on-call-schedule-${scheduleId}`;
}

export function activeSchedule(state: ScheduleAggregateState): OnCallSchedule {
  if (state.schedule.status === 'absent') {
    throw new IllegalStateError('the on-call schedule has no events');
  }
  return state.schedule.schedule;
}
