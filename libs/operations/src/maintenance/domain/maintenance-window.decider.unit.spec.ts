import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '@observe/core';

import { deciderSpecification } from '../../on-call/domain/testing/decider-specification';
import { MaintenanceCommand } from './maintenance-window.commands';
import { maintenanceDecider } from './maintenance-window.decider';
import { MaintenanceEvent, MaintenanceScheduled } from './maintenance-window.events';

const spec = deciderSpecification(maintenanceDecider());

// The window runs 14:00 to 16:00; tests act before, during and after it.
const before = '2026-03-01T12:00:00Z';
const during = '2026-03-01T15:00:00Z';
const after = '2026-03-01T17:00:00Z';

const scheduled: MaintenanceScheduled = {
  type: 'MaintenanceScheduled',
  data: {
    windowId: 'mw-1',
    services: ['checkout', 'ledger'],
    startsAt: '2026-03-01T14:00:00Z',
    endsAt: '2026-03-01T16:00:00Z',
    reason: 'database upgrade',
  },
};

const ended: MaintenanceEvent = {
  type: 'MaintenanceEnded',
  data: { windowId: 'mw-1', endedAt: '2026-03-01T15:00:00.000Z' },
};

const cancelled: MaintenanceEvent = {
  type: 'MaintenanceCancelled',
  data: { windowId: 'mw-1', cancelledAt: '2026-03-01T12:00:00.000Z' },
};

function schedule(fields: Partial<MaintenanceScheduled['data']>): MaintenanceCommand {
  return { type: 'ScheduleMaintenance', data: { ...scheduled.data, ...fields } };
}

function extendTo(endsAt: string): MaintenanceCommand {
  return { type: 'ExtendMaintenance', data: { windowId: 'mw-1', endsAt } };
}

const end: MaintenanceCommand = { type: 'EndMaintenance', data: { windowId: 'mw-1' } };
const cancel: MaintenanceCommand = { type: 'CancelMaintenance', data: { windowId: 'mw-1' } };

describe('ScheduleMaintenance', () => {
  it('schedules the window', () => {
    spec.given([]).when(schedule({}), before).then([scheduled]);
  });

  it('lists each service once', () => {
    spec
      .given([])
      .when(schedule({ services: ['checkout', 'ledger', 'checkout'] }), before)
      .then([scheduled]);
  });

  it('refuses an end before the start', () => {
    spec
      .given([])
      .when(schedule({ endsAt: '2026-03-01T13:00:00Z' }), before)
      .then(ValidationError, /not valid/);
  });

  it('accepts 7 days and refuses longer', () => {
    spec
      .given([])
      .when(schedule({ endsAt: '2026-03-08T14:00:00Z' }), before)
      .then([{ ...scheduled, data: { ...scheduled.data, endsAt: '2026-03-08T14:00:00Z' } }]);
    spec
      .given([])
      .when(schedule({ endsAt: '2026-03-08T14:00:01Z' }), before)
      .then(ValidationError);
  });

  it('takes its longest window from the rules it is given', () => {
    const shortWindows = deciderSpecification(
      maintenanceDecider({ maxDurationMinutes: 60, startGraceMinutes: 5 }),
    );

    shortWindows.given([]).when(schedule({}), before).then(ValidationError);
  });

  it('accepts a start up to 5 minutes in the past and refuses one further back', () => {
    const now = '2026-03-01T14:05:00Z';

    spec.given([]).when(schedule({}), now).then([scheduled]);
    spec.given([]).when(schedule({}), '2026-03-01T14:05:01Z').then(ValidationError);
  });

  it('refuses a window without services, reason or offset on its times', () => {
    spec
      .given([])
      .when(schedule({ services: [] }), before)
      .then(ValidationError);
    spec
      .given([])
      .when(schedule({ reason: ' ' }), before)
      .then(ValidationError);
    spec
      .given([])
      .when(schedule({ startsAt: '2026-03-01T14:00' }), before)
      .then(ValidationError);
  });

  it('refuses an id already used', () => {
    spec.given([scheduled]).when(schedule({}), before).then(ConflictError);
  });
});

describe('ExtendMaintenance', () => {
  it('moves the end later, recording the end it replaces', () => {
    spec
      .given([scheduled])
      .when(extendTo('2026-03-01T18:00:00Z'), during)
      .then([
        {
          type: 'MaintenanceExtended',
          data: {
            windowId: 'mw-1',
            previousEndsAt: '2026-03-01T16:00:00Z',
            endsAt: '2026-03-01T18:00:00Z',
          },
        },
      ]);
  });

  it('refuses an end that is not later', () => {
    spec
      .given([scheduled])
      .when(extendTo('2026-03-01T16:00:00Z'), during)
      .then(ValidationError, /not valid/);
  });

  it('refuses to stretch the window past the longest allowed', () => {
    spec.given([scheduled]).when(extendTo('2026-03-08T14:00:01Z'), during).then(ValidationError);
  });

  it('refuses a window that was ended, cancelled or has run out', () => {
    spec.given([scheduled, ended]).when(extendTo(after), during).then(IllegalStateError, /ended/);
    spec
      .given([scheduled, cancelled])
      .when(extendTo(after), before)
      .then(IllegalStateError, /cancelled/);
    spec
      .given([scheduled])
      .when(extendTo('2026-03-01T20:00:00Z'), after)
      .then(IllegalStateError, /schedule a new window/);
  });

  it('refuses a window that does not exist', () => {
    spec.given([]).when(extendTo(after), during).then(NotFoundError, /mw-1/);
  });
});

describe('EndMaintenance', () => {
  it('ends a running window now', () => {
    spec.given([scheduled]).when(end, during).then([ended]);
  });

  it('refuses a window that has not started and says to cancel it', () => {
    spec
      .given([scheduled])
      .when(end, before)
      .then(IllegalStateError, /cancel it instead/);
  });

  it('refuses a window already ended, by hand or by its time', () => {
    spec.given([scheduled, ended]).when(end, '2026-03-01T15:30:00Z').then(IllegalStateError);
    spec
      .given([scheduled])
      .when(end, after)
      .then(IllegalStateError, /already ended/);
  });
});

describe('CancelMaintenance', () => {
  it('cancels a window before it starts', () => {
    spec.given([scheduled]).when(cancel, before).then([cancelled]);
  });

  it('refuses a started window and says to end it', () => {
    spec
      .given([scheduled])
      .when(cancel, during)
      .then(IllegalStateError, /end it instead/);
  });

  it('refuses to cancel twice', () => {
    spec
      .given([scheduled, cancelled])
      .when(cancel, before)
      .then(IllegalStateError, /cancelled/);
  });
});

describe('event payloads', () => {
  it('are plain JSON that survives the event store unchanged', () => {
    const decider = maintenanceDecider();
    const state = decider.evolve(decider.initialState, scheduled);
    const events = decider.decide(state, end, new Date(during));
    const payloads: Array<Record<string, unknown>> = events.map((event) => event.data);

    expect(JSON.parse(JSON.stringify(payloads))).toEqual(payloads);
  });
});
