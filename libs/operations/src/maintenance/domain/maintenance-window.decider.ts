import { ConflictError, IllegalStateError, NotFoundError } from '@observe/core';

import { FieldErrors, checkInstant, checkText } from '../../on-call/domain/field-errors';
import {
  DEFAULT_MAINTENANCE_RULES,
  MaintenanceRules,
  MaintenanceWindow,
} from './maintenance-window';
import {
  CancelMaintenance,
  EndMaintenance,
  ExtendMaintenance,
  MaintenanceCommand,
  ScheduleMaintenance,
} from './maintenance-window.commands';
import { MaintenanceEvent } from './maintenance-window.events';

const MINUTE_MS = 60_000;

export type MaintenanceState = { status: 'unscheduled' } | MaintenanceWindow;

export const initialMaintenanceState: MaintenanceState = { status: 'unscheduled' };

export function decideMaintenance(
  state: MaintenanceState,
  command: MaintenanceCommand,
  now: Date,
  rules: MaintenanceRules = DEFAULT_MAINTENANCE_RULES,
): MaintenanceEvent[] {
  if (command.type === 'ScheduleMaintenance') {
    return scheduleMaintenance(state, command, now, rules);
  }

  if (state.status === 'unscheduled') {
    throw new NotFoundError('maintenance window', command.data.windowId);
  }
  switch (command.type) {
    case 'ExtendMaintenance':
      return extendMaintenance(state, command, now, rules);
    case 'EndMaintenance':
      return endMaintenance(state, command, now);
    case 'CancelMaintenance':
      return cancelMaintenance(state, command, now);
  }
}

export function evolveMaintenance(
  state: MaintenanceState,
  event: MaintenanceEvent,
): MaintenanceState {
  if (event.type === 'MaintenanceScheduled') {
    const { windowId, services, startsAt, endsAt, reason } = event.data;
    return { id: windowId, services, startsAt, endsAt, reason, status: 'scheduled' };
  }
  if (state.status === 'unscheduled') {
    return state;
  }

  switch (event.type) {
    case 'MaintenanceExtended':
      return { ...state, endsAt: event.data.endsAt };
    case 'MaintenanceEnded':
      return { ...state, status: 'ended', endsAt: event.data.endedAt, endedAt: event.data.endedAt };
    case 'MaintenanceCancelled':
      return { ...state, status: 'cancelled', cancelledAt: event.data.cancelledAt };
  }
}

/** A decider with its rules fixed, for the generic command handler. */
export function maintenanceDecider(rules: MaintenanceRules = DEFAULT_MAINTENANCE_RULES) {
  return {
    decide: (state: MaintenanceState, command: MaintenanceCommand, now: Date) =>
      decideMaintenance(state, command, now, rules),
    evolve: evolveMaintenance,
    initialState: initialMaintenanceState,
  };
}

function scheduleMaintenance(
  state: MaintenanceState,
  command: ScheduleMaintenance,
  now: Date,
  rules: MaintenanceRules,
): MaintenanceEvent[] {
  const { windowId, services, startsAt, endsAt, reason } = command.data;
  if (state.status !== 'unscheduled') {
    throw new ConflictError(`maintenance window ${windowId} already exists`, { windowId });
  }

  const errors = new FieldErrors();
  checkText(errors, 'windowId', windowId);
  checkText(errors, 'reason', reason);
  if (services.length === 0) {
    errors.add('services', 'must name at least one service');
  }
  services.forEach((service, index) => checkText(errors, `services[${index}]`, service));
  checkInstant(errors, 'startsAt', startsAt);
  checkInstant(errors, 'endsAt', endsAt);
  errors.throwIfAny('the maintenance window is not valid');

  const [start, end] = [Date.parse(startsAt), Date.parse(endsAt)];
  if (start < now.getTime() - rules.startGraceMinutes * MINUTE_MS) {
    errors.add('startsAt', `must not be more than ${rules.startGraceMinutes} minutes in the past`);
  }
  if (end <= start) {
    errors.add('endsAt', 'must be after startsAt');
  } else if (end <= now.getTime()) {
    errors.add('endsAt', 'must be in the future');
  }
  checkDuration(errors, start, end, rules);
  errors.throwIfAny('the maintenance window is not valid');

  const distinctServices = [...new Set(services)];
  return [
    {
      type: 'MaintenanceScheduled',
      data: { windowId, services: distinctServices, startsAt, endsAt, reason },
    },
  ];
}

function extendMaintenance(
  window: MaintenanceWindow,
  command: ExtendMaintenance,
  now: Date,
  rules: MaintenanceRules,
): MaintenanceEvent[] {
  const { windowId, endsAt } = command.data;
  refuseUnlessOpen(window, 'extended');
  if (Date.parse(window.endsAt) <= now.getTime()) {
    throw new IllegalStateError(
      `maintenance window ${windowId} is already over; schedule a new window instead`,
      { windowId, endsAt: window.endsAt },
    );
  }

  const errors = new FieldErrors();
  checkInstant(errors, 'endsAt', endsAt);
  errors.throwIfAny('the extension is not valid');
  const end = Date.parse(endsAt);
  if (end <= Date.parse(window.endsAt)) {
    errors.add('endsAt', `must be later than the current end, ${window.endsAt}`);
  }
  checkDuration(errors, Date.parse(window.startsAt), end, rules);
  errors.throwIfAny('the extension is not valid');

  return [
    { type: 'MaintenanceExtended', data: { windowId, previousEndsAt: window.endsAt, endsAt } },
  ];
}

function endMaintenance(
  window: MaintenanceWindow,
  command: EndMaintenance,
  now: Date,
): MaintenanceEvent[] {
  const { windowId } = command.data;
  refuseUnlessOpen(window, 'ended');
  if (now.getTime() < Date.parse(window.startsAt)) {
    throw new IllegalStateError(
      `maintenance window ${windowId} has not started; cancel it instead`,
      { windowId, startsAt: window.startsAt },
    );
  }
  if (now.getTime() >= Date.parse(window.endsAt)) {
    throw new IllegalStateError(
      `maintenance window ${windowId} already ended at ${window.endsAt}`,
      {
        windowId,
        endsAt: window.endsAt,
      },
    );
  }

  return [{ type: 'MaintenanceEnded', data: { windowId, endedAt: now.toISOString() } }];
}

function cancelMaintenance(
  window: MaintenanceWindow,
  command: CancelMaintenance,
  now: Date,
): MaintenanceEvent[] {
  const { windowId } = command.data;
  refuseUnlessOpen(window, 'cancelled');
  if (now.getTime() >= Date.parse(window.startsAt)) {
    throw new IllegalStateError(
      `maintenance window ${windowId} has already started; end it instead`,
      { windowId, startsAt: window.startsAt },
    );
  }

  return [{ type: 'MaintenanceCancelled', data: { windowId, cancelledAt: now.toISOString() } }];
}

function refuseUnlessOpen(window: MaintenanceWindow, change: string): void {
  if (window.status !== 'scheduled') {
    throw new IllegalStateError(
      `maintenance window ${window.id} was ${window.status} and cannot be ${change}`,
      { windowId: window.id, status: window.status },
    );
  }
}

function checkDuration(
  errors: FieldErrors,
  start: number,
  end: number,
  rules: MaintenanceRules,
): void {
  if (end - start > rules.maxDurationMinutes * MINUTE_MS) {
    errors.add(
      'endsAt',
      `a maintenance window may last at most ${describeMinutes(rules.maxDurationMinutes)}`,
    );
  }
}

function describeMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0) {
    return `${minutes / (24 * 60)} days`;
  }
  if (minutes % 60 === 0) {
    return `${minutes / 60} hours`;
  }
  return `${minutes} minutes`;
}
