import { MonitorKind, SealedCredentials } from './monitor';

export type CreateMonitor = {
  type: 'CreateMonitor';
  data: {
    monitorId: string;
    name: string;
    service: string;
    kind: MonitorKind;
    /** As given; defaults fill what is left out. */
    settings: Record<string, unknown>;
    credentials: SealedCredentials | null;
  };
};

/** Changes only what is given: the name, or settings merged over the current ones. */
export type TuneMonitor = {
  type: 'TuneMonitor';
  data: { monitorId: string; name?: string; settings?: Record<string, unknown> };
};

/** Sets new credentials, or removes them with null; they are never read back. */
export type ReplaceMonitorCredentials = {
  type: 'ReplaceMonitorCredentials';
  data: { monitorId: string; credentials: SealedCredentials | null };
};

export type PauseMonitor = {
  type: 'PauseMonitor';
  data: { monitorId: string; reason: string | null };
};

export type ResumeMonitor = {
  type: 'ResumeMonitor';
  data: { monitorId: string };
};

export type MonitorCommand =
  CreateMonitor | TuneMonitor | ReplaceMonitorCredentials | PauseMonitor | ResumeMonitor;
