import { activeWindowsFor, isServiceInMaintenance, maintenancePhase } from './maintenance-lookup';
import { MaintenanceWindow } from './maintenance-window';
import { evolveMaintenance, initialMaintenanceState } from './maintenance-window.decider';
import { MaintenanceEvent } from './maintenance-window.events';

function aWindow(fields: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: 'mw-1',
    services: ['checkout'],
    startsAt: '2026-03-01T14:00:00Z',
    endsAt: '2026-03-01T16:00:00Z',
    reason: 'database upgrade',
    status: 'scheduled',
    ...fields,
  };
}

function at(clock: string): Date {
  return new Date(`2026-03-01T${clock}:00Z`);
}

describe('isServiceInMaintenance', () => {
  it('covers the service from the start up to, not including, the end', () => {
    const windows = [aWindow()];

    expect(isServiceInMaintenance(windows, 'checkout', at('13:59'))).toBe(false);
    expect(isServiceInMaintenance(windows, 'checkout', at('14:00'))).toBe(true);
    expect(isServiceInMaintenance(windows, 'checkout', at('16:00'))).toBe(false);
  });

  it('covers only the services the window lists', () => {
    expect(isServiceInMaintenance([aWindow()], 'ledger', at('15:00'))).toBe(false);
  });

  it('lets overlapping windows compose, active while any covers the service', () => {
    const windows = [
      aWindow({ id: 'early', endsAt: '2026-03-01T15:00:00Z' }),
      aWindow({ id: 'late', startsAt: '2026-03-01T14:30:00Z', endsAt: '2026-03-01T17:00:00Z' }),
    ];

    expect(activeWindowsFor(windows, 'checkout', at('14:45')).map((window) => window.id)).toEqual([
      'early',
      'late',
    ]);
    expect(activeWindowsFor(windows, 'checkout', at('16:30')).map((window) => window.id)).toEqual([
      'late',
    ]);
    expect(isServiceInMaintenance(windows, 'checkout', at('17:00'))).toBe(false);
  });

  it('ignores cancelled windows and stops at the time a window was ended', () => {
    const events: MaintenanceEvent[] = [
      {
        type: 'MaintenanceScheduled',
        data: {
          windowId: 'mw-2',
          services: ['checkout'],
          startsAt: '2026-03-01T14:00:00Z',
          endsAt: '2026-03-01T16:00:00Z',
          reason: 'deploy',
        },
      },
      { type: 'MaintenanceEnded', data: { windowId: 'mw-2', endedAt: '2026-03-01T14:30:00.000Z' } },
    ];
    const endedEarly = events.reduce(evolveMaintenance, initialMaintenanceState);
    if (endedEarly.status === 'unscheduled') {
      throw new Error('the window should exist');
    }
    const windows = [aWindow({ status: 'cancelled' }), endedEarly];

    expect(isServiceInMaintenance(windows, 'checkout', at('14:15'))).toBe(true);
    expect(isServiceInMaintenance(windows, 'checkout', at('14:30'))).toBe(false);
    expect(maintenancePhase(endedEarly, at('15:00'))).toBe('over');
  });
});

describe('maintenancePhase', () => {
  it('tells upcoming, in progress, over and cancelled apart', () => {
    expect(maintenancePhase(aWindow(), at('13:00'))).toBe('upcoming');
    expect(maintenancePhase(aWindow(), at('15:00'))).toBe('in_progress');
    expect(maintenancePhase(aWindow(), at('16:00'))).toBe('over');
    expect(maintenancePhase(aWindow({ status: 'cancelled' }), at('15:00'))).toBe('cancelled');
  });
});
