import { Monitor, MonitorKind, MonitorStatus } from '../domain';

/** `error`: the check could not run (its credentials are unreadable); alerts stay as they are. */
export type CheckOutcome = 'up' | 'down' | 'no_data' | 'error';

/** How the monitor's checks are going, from the scheduler's last run. */
export interface MonitorHealth {
  /** `pending` until the first check has run. */
  state: CheckOutcome | 'pending';
  /** True while the monitor has an incident open through its alert. */
  alerting: boolean;
  consecutiveFailures: number;
  lastCheckedAt: string | null;
  nextCheckAt: string | null;
  lastResult: Record<string, unknown> | null;
}

/** A monitor as the API shows it: credentials only ever as whether they are set. */
export interface MonitorView {
  id: string;
  name: string;
  service: string;
  kind: MonitorKind;
  settings: Record<string, unknown>;
  status: MonitorStatus;
  credentials: { set: boolean; updatedAt: string | null };
  health: MonitorHealth;
}

export const PENDING_HEALTH: MonitorHealth = {
  state: 'pending',
  alerting: false,
  consecutiveFailures: 0,
  lastCheckedAt: null,
  nextCheckAt: null,
  lastResult: null,
};

export function toMonitorView(monitor: Monitor, health: MonitorHealth): MonitorView {
  return {
    id: monitor.id,
    name: monitor.name,
    service: monitor.service,
    kind: monitor.kind,
    settings: { ...monitor.settings },
    status: monitor.status,
    credentials: {
      set: monitor.credentials !== null,
      updatedAt: monitor.credentials?.updatedAt ?? null,
    },
    health,
  };
}
