import { ConflictError, IllegalStateError, NotFoundError } from '@observe/core';

import { FieldErrors, checkInstant, checkText } from './field-errors';
import { OnCallSchedule, ScheduleLayer } from './on-call-schedule';
import {
  AddLayer,
  CancelOverride,
  CreateSchedule,
  OnCallScheduleCommand,
  ReplaceLayers,
  ScheduleOverride,
} from './on-call-schedule.commands';
import { OnCallScheduleEvent } from './on-call-schedule.events';
import { checkLayers, checkTimeZone } from './schedule-validation';
import { DAY_MS } from './wall-time';

export type OnCallScheduleState =
  | { status: 'absent' }
  | { status: 'active'; schedule: OnCallSchedule; cancelledOverrideIds: string[] };

type ActiveSchedule = Extract<OnCallScheduleState, { status: 'active' }>;

export interface OnCallScheduleRules {
  /** Longest override accepted, in days. */
  maxOverrideDays: number;
}

export const DEFAULT_ON_CALL_SCHEDULE_RULES: OnCallScheduleRules = { maxOverrideDays: 90 };

export const initialOnCallScheduleState: OnCallScheduleState = { status: 'absent' };

export function decideOnCallSchedule(
  state: OnCallScheduleState,
  command: OnCallScheduleCommand,
  now: Date,
  rules: OnCallScheduleRules = DEFAULT_ON_CALL_SCHEDULE_RULES,
): OnCallScheduleEvent[] {
  if (command.type === 'CreateSchedule') {
    return createSchedule(state, command);
  }

  const active = requireSchedule(state, command.data.scheduleId);
  switch (command.type) {
    case 'AddLayer':
      return addLayer(active, command);
    case 'ReplaceLayers':
      return replaceLayers(active, command);
    case 'ScheduleOverride':
      return scheduleOverride(active, command, now, rules);
    case 'CancelOverride':
      return cancelOverride(active, command, now);
  }
}

export function evolveOnCallSchedule(
  state: OnCallScheduleState,
  event: OnCallScheduleEvent,
): OnCallScheduleState {
  if (event.type === 'ScheduleCreated') {
    const { scheduleId, name, timeZone, layers } = event.data;
    return {
      status: 'active',
      schedule: { id: scheduleId, name, timeZone, layers, overrides: [] },
      cancelledOverrideIds: [],
    };
  }
  if (state.status === 'absent') {
    return state;
  }

  const { schedule } = state;
  switch (event.type) {
    case 'ScheduleLayersReplaced':
      return { ...state, schedule: { ...schedule, layers: event.data.layers } };
    case 'OnCallOverrideScheduled': {
      const { overrideId, person, startsAt, endsAt } = event.data;
      const override = { id: overrideId, person, startsAt, endsAt };
      return { ...state, schedule: { ...schedule, overrides: [...schedule.overrides, override] } };
    }
    case 'OnCallOverrideCancelled': {
      const { overrideId, cancelledAt } = event.data;
      const cancelled = Date.parse(cancelledAt);
      const overrides = schedule.overrides
        .filter((each) => each.id !== overrideId || Date.parse(each.startsAt) < cancelled)
        .map((each) => (each.id === overrideId ? { ...each, endsAt: cancelledAt } : each));
      return {
        schedule: { ...schedule, overrides },
        status: 'active',
        cancelledOverrideIds: [...state.cancelledOverrideIds, overrideId],
      };
    }
  }
}

export const onCallScheduleDecider = {
  decide: decideOnCallSchedule,
  evolve: evolveOnCallSchedule,
  initialState: initialOnCallScheduleState,
};

function createSchedule(
  state: OnCallScheduleState,
  command: CreateSchedule,
): OnCallScheduleEvent[] {
  const { scheduleId, name, timeZone, layers = [] } = command.data;
  if (state.status === 'active') {
    throw new ConflictError(`schedule ${scheduleId} already exists`, { scheduleId });
  }

  const errors = new FieldErrors();
  checkText(errors, 'scheduleId', scheduleId);
  checkText(errors, 'name', name);
  checkTimeZone(errors, 'timeZone', timeZone);
  checkLayers(errors, 'layers', layers);
  errors.throwIfAny('the schedule is not valid');

  return [{ type: 'ScheduleCreated', data: { scheduleId, name, timeZone, layers } }];
}

function addLayer(state: ActiveSchedule, command: AddLayer): OnCallScheduleEvent[] {
  return layersReplaced(state, [...state.schedule.layers, command.data.layer]);
}

function replaceLayers(state: ActiveSchedule, command: ReplaceLayers): OnCallScheduleEvent[] {
  return layersReplaced(state, command.data.layers);
}

function layersReplaced(state: ActiveSchedule, layers: ScheduleLayer[]): OnCallScheduleEvent[] {
  const errors = new FieldErrors();
  checkLayers(errors, 'layers', layers);
  errors.throwIfAny('the layers are not valid');

  return [{ type: 'ScheduleLayersReplaced', data: { scheduleId: state.schedule.id, layers } }];
}

function scheduleOverride(
  state: ActiveSchedule,
  command: ScheduleOverride,
  now: Date,
  rules: OnCallScheduleRules,
): OnCallScheduleEvent[] {
  const { scheduleId, overrideId, person, startsAt, endsAt } = command.data;
  const errors = new FieldErrors();
  checkText(errors, 'overrideId', overrideId);
  checkText(errors, 'person', person);
  checkInstant(errors, 'startsAt', startsAt);
  checkInstant(errors, 'endsAt', endsAt);
  errors.throwIfAny('the override is not valid');

  const [start, end] = [Date.parse(startsAt), Date.parse(endsAt)];
  if (end <= start) {
    errors.add('endsAt', 'must be after startsAt');
  } else if (end - start > rules.maxOverrideDays * DAY_MS) {
    errors.add('endsAt', `an override may last at most ${rules.maxOverrideDays} days`);
  } else if (end <= now.getTime()) {
    errors.add('endsAt', 'must be in the future; an override that is already over changes nothing');
  }
  errors.throwIfAny('the override is not valid');

  if (knowsOverride(state, overrideId)) {
    throw new ConflictError(`override ${overrideId} already exists`, { scheduleId, overrideId });
  }
  return [
    { type: 'OnCallOverrideScheduled', data: { scheduleId, overrideId, person, startsAt, endsAt } },
  ];
}

function cancelOverride(
  state: ActiveSchedule,
  command: CancelOverride,
  now: Date,
): OnCallScheduleEvent[] {
  const { scheduleId, overrideId } = command.data;
  if (state.cancelledOverrideIds.includes(overrideId)) {
    throw new IllegalStateError(`override ${overrideId} is already cancelled`, {
      scheduleId,
      overrideId,
    });
  }
  const override = state.schedule.overrides.find((each) => each.id === overrideId);
  if (!override) {
    throw new NotFoundError('on-call override', overrideId);
  }
  if (Date.parse(override.endsAt) <= now.getTime()) {
    throw new IllegalStateError(`override ${overrideId} is already over and stays in the history`, {
      scheduleId,
      overrideId,
    });
  }

  const cancelledAt = now.toISOString();
  return [{ type: 'OnCallOverrideCancelled', data: { scheduleId, overrideId, cancelledAt } }];
}

function requireSchedule(state: OnCallScheduleState, scheduleId: string): ActiveSchedule {
  if (state.status === 'absent') {
    throw new NotFoundError('on-call schedule', scheduleId);
  }
  return state;
}

function knowsOverride(state: ActiveSchedule, overrideId: string): boolean {
  return (
    state.cancelledOverrideIds.includes(overrideId) ||
    state.schedule.overrides.some((each) => each.id === overrideId)
  );
}
