import { ConflictError, NotFoundError } from '@observe/core';

import { FieldErrors, checkText } from '../../on-call/domain/field-errors';
import { MONITOR_KINDS, Monitor, MonitorDefinition } from './monitor';
import {
  CreateMonitor,
  MonitorCommand,
  PauseMonitor,
  ReplaceMonitorCredentials,
  ResumeMonitor,
  TuneMonitor,
} from './monitor.commands';
import { MonitorEvent } from './monitor.events';
import { changedSettings, resolveSettings } from './monitor-settings';

export type MonitorState = { status: 'absent' } | { status: 'present'; monitor: Monitor };

type PresentMonitor = Extract<MonitorState, { status: 'present' }>;

export const initialMonitorState: MonitorState = { status: 'absent' };

const MAX_NAME_LENGTH = 200;

export function decideMonitor(
  state: MonitorState,
  command: MonitorCommand,
  now: Date,
): MonitorEvent[] {
  if (command.type === 'CreateMonitor') {
    return createMonitor(state, command);
  }

  if (state.status === 'absent') {
    throw new NotFoundError('monitor', command.data.monitorId);
  }
  switch (command.type) {
    case 'TuneMonitor':
      return tuneMonitor(state, command);
    case 'ReplaceMonitorCredentials':
      return replaceCredentials(state, command);
    case 'PauseMonitor':
      return pauseMonitor(state, command, now);
    case 'ResumeMonitor':
      return resumeMonitor(state, command, now);
  }
}

export function evolveMonitor(state: MonitorState, event: MonitorEvent): MonitorState {
  if (event.type === 'MonitorCreated') {
    const { monitorId, name, service, credentials } = event.data;
    return {
      status: 'present',
      monitor: {
        id: monitorId,
        name,
        service,
        status: 'active',
        credentials,
        ...definitionOf(event.data),
      },
    };
  }
  if (state.status === 'absent') {
    return state;
  }

  const { monitor } = state;
  switch (event.type) {
    case 'MonitorTuned':
      return {
        status: 'present',
        monitor: { ...monitor, name: event.data.name, ...definitionOf(event.data) },
      };
    case 'MonitorCredentialsReplaced':
      return { status: 'present', monitor: { ...monitor, credentials: event.data.credentials } };
    case 'MonitorPaused':
      return { status: 'present', monitor: { ...monitor, status: 'paused' } };
    case 'MonitorResumed':
      return { status: 'present', monitor: { ...monitor, status: 'active' } };
  }
}

export const monitorDecider = {
  decide: decideMonitor,
  evolve: evolveMonitor,
  initialState: initialMonitorState,
};

function createMonitor(state: MonitorState, command: CreateMonitor): MonitorEvent[] {
  const { monitorId, name, service, kind, settings, credentials } = command.data;
  if (state.status === 'present') {
    throw new ConflictError(`monitor ${monitorId} already exists`, { monitorId });
  }

  const errors = new FieldErrors();
  checkName(errors, name);
  checkText(errors, 'service', service);
  if (!MONITOR_KINDS.includes(kind)) {
    errors.add('kind', `must be one of ${MONITOR_KINDS.join(', ')}`);
    errors.throwIfAny('the monitor is not valid');
  }
  const definition = resolveSettings(kind, settings, errors);
  if (credentials && kind !== 'http') {
    errors.add('credentials', 'only http monitors send credentials');
  }
  errors.throwIfAny('the monitor is not valid');

  return [
    {
      type: 'MonitorCreated',
      data: { monitorId, name, service, credentials, ...definition },
    },
  ];
}

function tuneMonitor(state: PresentMonitor, command: TuneMonitor): MonitorEvent[] {
  const { monitor } = state;
  const { monitorId, name = monitor.name, settings = {} } = command.data;

  const errors = new FieldErrors();
  if (command.data.name === undefined && command.data.settings === undefined) {
    errors.add('settings', 'give a name or settings to change');
  }
  checkName(errors, name);
  const definition = resolveSettings(monitor.kind, settings, errors, monitor);
  errors.throwIfAny('the monitor change is not valid');

  const changed = changedSettings(monitor, definition);
  if (name !== monitor.name) changed.unshift('name');
  // Saying again what the monitor already does changes nothing, so a retry is harmless.
  if (changed.length === 0) {
    return [];
  }
  return [{ type: 'MonitorTuned', data: { monitorId, name, changed, ...definition } }];
}

function replaceCredentials(
  state: PresentMonitor,
  command: ReplaceMonitorCredentials,
): MonitorEvent[] {
  const { monitorId, credentials } = command.data;
  if (credentials && state.monitor.kind !== 'http') {
    const errors = new FieldErrors();
    errors.add('credentials', 'only http monitors send credentials');
    errors.throwIfAny('the credentials are not valid');
  }
  if (!credentials && !state.monitor.credentials) {
    return [];
  }
  return [{ type: 'MonitorCredentialsReplaced', data: { monitorId, credentials } }];
}

function pauseMonitor(state: PresentMonitor, command: PauseMonitor, now: Date): MonitorEvent[] {
  if (state.monitor.status === 'paused') {
    return [];
  }
  const { monitorId, reason } = command.data;
  return [{ type: 'MonitorPaused', data: { monitorId, pausedAt: now.toISOString(), reason } }];
}

function resumeMonitor(state: PresentMonitor, command: ResumeMonitor, now: Date): MonitorEvent[] {
  if (state.monitor.status === 'active') {
    return [];
  }
  return [
    {
      type: 'MonitorResumed',
      data: { monitorId: command.data.monitorId, resumedAt: now.toISOString() },
    },
  ];
}

/** Kind and settings off event data, kept paired. */
function definitionOf(data: MonitorDefinition): MonitorDefinition {
  return data.kind === 'http'
    ? { kind: 'http', settings: data.settings }
    : { kind: 'threshold', settings: data.settings };
}

function checkName(errors: FieldErrors, name: string): void {
  checkText(errors, 'name', name);
  if (name.length > MAX_NAME_LENGTH) {
    errors.add('name', `must be at most ${MAX_NAME_LENGTH} characters`);
  }
}
