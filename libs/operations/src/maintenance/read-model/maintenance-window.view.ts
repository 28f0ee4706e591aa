import { MaintenancePhase, maintenancePhase, MaintenanceWindow } from '../domain';

/** A maintenance window as the API shows it; `status` is where it stands now. */
export interface MaintenanceWindowView {
  id: string;
  services: string[];
  startsAt: string;
  endsAt: string;
  reason: string;
  status: MaintenancePhase;
  endedAt: string | null;
  cancelledAt: string | null;
  /** How many alerts the window has muted so far. */
  suppressedAlertCount: number;
}

export interface SuppressedAlertView {
  eventId: string;
  /** Every window that covered the service then; overlapping windows each count. */
  windowIds: string[];
  service: string;
  dedupKey: string | null;
  summary: string;
  severity: string | null;
  source: string | null;
  suppressedAt: string;
}

export interface MaintenanceWindowDetail extends MaintenanceWindowView {
  /** The latest alerts this window muted; page through all at `/suppressed-alerts`. */
  suppressedAlerts: SuppressedAlertView[];
}

export function toWindowView(
  window: MaintenanceWindow,
  now: Date,
  suppressedAlertCount: number,
): MaintenanceWindowView {
  return {
    id: window.id,
    services: window.services,
    startsAt: iso(window.startsAt),
    endsAt: iso(window.endsAt),
    reason: window.reason,
    status: maintenancePhase(window, now),
    endedAt: window.endedAt ? iso(window.endedAt) : null,
    cancelledAt: window.cancelledAt ? iso(window.cancelledAt) : null,
    suppressedAlertCount,
  };
}

/** Times leave the API in one form, whatever offset they were written with. */
function iso(value: string): string {
  return new Date(value).toISOString();
}
