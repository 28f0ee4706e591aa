import { MonitorDefinition, SealedCredentials } from './monitor';

export type MonitorCreated = {
  type: 'MonitorCreated';
  data: MonitorDefinition & {
    monitorId: string;
    name: string;
    service: string;
    credentials: SealedCredentials | null;
  };
};

/** Carries the name and all settings as they are after the change, and what changed. */
export type MonitorTuned = {
  type: 'MonitorTuned';
  data: MonitorDefinition & { monitorId: string; name: string; changed: string[] };
};

export type MonitorCredentialsReplaced = {
  type: 'MonitorCredentialsReplaced';
  data: { monitorId: string; credentials: SealedCredentials | null };
};

export type MonitorPaused = {
  type: 'MonitorPaused';
  data: { monitorId: string; pausedAt: string; reason: string | null };
};

export type MonitorResumed = {
  type: 'MonitorResumed';
  data: { monitorId: string; resumedAt: string };
};

export type MonitorEvent =
  MonitorCreated | MonitorTuned | MonitorCredentialsReplaced | MonitorPaused | MonitorResumed;

export const MONITOR_EVENT_TYPES: readonly MonitorEvent['type'][] = [
  'MonitorCreated',
  'MonitorTuned',
  'MonitorCredentialsReplaced',
  'MonitorPaused',
  'MonitorResumed',
];
