import { MaintenanceWindow } from './maintenance-window';

export type MaintenancePhase = 'upcoming' | 'in_progress' | 'over' | 'cancelled';

/** Where a window stands at an instant; an ended window is over from its end. */
export function maintenancePhase(window: MaintenanceWindow, at: Date): MaintenancePhase {
  if (window.status === 'cancelled') {
    return 'cancelled';
  }
  if (at.getTime() < Date.parse(window.startsAt)) {
    return 'upcoming';
  }
  return at.getTime() < Date.parse(window.endsAt) ? 'in_progress' : 'over';
}

/**
 * Windows covering the service at the instant, from `startsAt` up to, not
 * including, `endsAt`. Overlapping windows compose: each one counts.
 */
export function activeWindowsFor(
  windows: MaintenanceWindow[],
  serviceId: string,
  at: Date,
): MaintenanceWindow[] {
  return windows.filter(
    (window) =>
      window.services.includes(serviceId) && maintenancePhase(window, at) === 'in_progress',
  );
}

/** True while any window covers the service. */
export function isServiceInMaintenance(
  windows: MaintenanceWindow[],
  serviceId: string,
  at: Date,
): boolean {
  return activeWindowsFor(windows, serviceId, at).length > 0;
}
