/**
 * Whether the window still applies. Being under way is a matter of time, not
 * status: a scheduled window is active from `startsAt` until `endsAt`.
 */
export type MaintenanceStatus = 'scheduled' | 'ended' | 'cancelled';

/**
 * A stretch of time when alerts on the listed services do not page anyone.
 * Once ended early, `endsAt` is when it actually ended (`endedAt`).
 */
export interface MaintenanceWindow {
  id: string;
  services: string[];
  startsAt: string;
  endsAt: string;
  reason: string;
  status: MaintenanceStatus;
  endedAt?: string;
  cancelledAt?: string;
}

export interface MaintenanceRules {
  /** Longest window accepted, start to end, in minutes. */
  maxDurationMinutes: number;
  /** How far in the past a new window may start, to absorb clock skew and slow typing. */
  startGraceMinutes: number;
}

export const DEFAULT_MAINTENANCE_RULES: MaintenanceRules = {
  maxDurationMinutes: 7 * 24 * 60,
  startGraceMinutes: 5,
};
