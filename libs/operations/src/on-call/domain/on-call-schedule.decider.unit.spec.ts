import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '@observe/core';

import { ScheduleLayer } from './on-call-schedule';
import {
  decideOnCallSchedule,
  evolveOnCallSchedule,
  initialOnCallScheduleState,
  onCallScheduleDecider,
} from './on-call-schedule.decider';
import { OnCallScheduleCommand } from './on-call-schedule.commands';
import { OnCallScheduleEvent, ScheduleCreated } from './on-call-schedule.events';
import { whoIsOnCall } from './rendered-schedule';
import { deciderSpecification } from './testing/decider-specification';
import { aLayer } from './testing/schedule-factory';

const spec = deciderSpecification(onCallScheduleDecider);

const created: ScheduleCreated = {
  type: 'ScheduleCreated',
  data: { scheduleId: 'sched-1', name: 'Payments', timeZone: 'Europe/Berlin', layers: [aLayer()] },
};

const overrideScheduled: OnCallScheduleEvent = {
  type: 'OnCallOverrideScheduled',
  data: {
    scheduleId: 'sched-1',
    overrideId: 'ovr-1',
    person: 'zoe',
    startsAt: '2026-03-10T00:00:00Z',
    endsAt: '2026-03-10T12:00:00Z',
  },
};

function createWith(layers: ScheduleLayer[], timeZone = 'Europe/Berlin'): OnCallScheduleCommand {
  return {
    type: 'CreateSchedule',
    data: { scheduleId: 'sched-1', name: 'Payments', timeZone, layers },
  };
}

function overrideFor(startsAt: string, endsAt: string): OnCallScheduleCommand {
  return {
    type: 'ScheduleOverride',
    data: { scheduleId: 'sched-1', overrideId: 'ovr-2', person: 'zoe', startsAt, endsAt },
  };
}

function fieldsRejected(
  command: OnCallScheduleCommand,
  events: OnCallScheduleEvent[] = [],
): string[] {
  const state = events.reduce(evolveOnCallSchedule, initialOnCallScheduleState);
  try {
    decideOnCallSchedule(state, command, new Date('2026-03-01T12:00:00Z'));
  } catch (error) {
    if (error instanceof ValidationError) {
      return error.fieldErrors.map((each) => each.field);
    }
    throw error;
  }
  return [];
}

describe('CreateSchedule', () => {
  it('creates the schedule with its layers', () => {
    spec
      .given([])
      .when(createWith([aLayer()]))
      .then([created]);
  });

  it('creates a schedule without layers', () => {
    const command: OnCallScheduleCommand = {
      type: 'CreateSchedule',
      data: { scheduleId: 'sched-1', name: 'Payments', timeZone: 'UTC' },
    };

    spec
      .given([])
      .when(command)
      .then([
        {
          type: 'ScheduleCreated',
          data: { scheduleId: 'sched-1', name: 'Payments', timeZone: 'UTC', layers: [] },
        },
      ]);
  });

  it('refuses an id already taken', () => {
    spec
      .given([created])
      .when(createWith([]))
      .then(ConflictError, /already exists/);
  });

  it('refuses an unknown time zone', () => {
    expect(fieldsRejected(createWith([], 'Mars/Olympus_Mons'))).toEqual(['timeZone']);
  });

  it.each(['9:00', '24:00', '09:60', '0900', ''])('refuses the handoff time %p', (handoffTime) => {
    expect(fieldsRejected(createWith([aLayer({ handoffTime })]))).toEqual([
      'layers[0].handoffTime',
    ]);
  });

  it('refuses a layer without members', () => {
    expect(fieldsRejected(createWith([aLayer({ members: [] })]))).toEqual(['layers[0].members']);
  });

  it('refuses a weekly layer without a handoff day and a custom one without a length', () => {
    const layers = [
      aLayer({ name: 'weekly', rotation: 'weekly' }),
      aLayer({ name: 'custom', rotation: 'custom', rotationLengthHours: 0.5 }),
    ];

    expect(fieldsRejected(createWith(layers))).toEqual([
      'layers[0].handoffDay',
      'layers[1].rotationLengthHours',
    ]);
  });

  it('refuses two layers with one name, a start without offset and an empty window', () => {
    const layers = [
      aLayer(),
      aLayer({ startsAt: '2026-03-01T09:00', restrictions: { from: '09:00', to: '09:00' } }),
    ];

    expect(fieldsRejected(createWith(layers))).toEqual([
      'layers[1].name',
      'layers[1].startsAt',
      'layers[1].restrictions.to',
    ]);
  });

  it('names every problem in one rejection', () => {
    const layers = [aLayer({ members: [], handoffTime: '25:00' })];

    expect(fieldsRejected(createWith(layers, 'Nowhere/Land'))).toEqual([
      'timeZone',
      'layers[0].members',
      'layers[0].handoffTime',
    ]);
  });
});

describe('AddLayer and ReplaceLayers', () => {
  const nights = aLayer({ name: 'nights', restrictions: { from: '22:00', to: '06:00' } });

  it('adds a layer on top of the existing ones', () => {
    spec
      .given([created])
      .when({ type: 'AddLayer', data: { scheduleId: 'sched-1', layer: nights } })
      .then([
        {
          type: 'ScheduleLayersReplaced',
          data: { scheduleId: 'sched-1', layers: [aLayer(), nights] },
        },
      ]);
  });

  it('refuses a layer whose name another layer has', () => {
    spec
      .given([created])
      .when({ type: 'AddLayer', data: { scheduleId: 'sched-1', layer: aLayer() } })
      .then(ValidationError, /layers are not valid/);
  });

  it('replaces all layers at once', () => {
    spec
      .given([created])
      .when({ type: 'ReplaceLayers', data: { scheduleId: 'sched-1', layers: [nights] } })
      .then([
        { type: 'ScheduleLayersReplaced', data: { scheduleId: 'sched-1', layers: [nights] } },
      ]);
  });

  it('refuses to change a schedule that does not exist', () => {
    spec
      .given([])
      .when({ type: 'ReplaceLayers', data: { scheduleId: 'sched-1', layers: [] } })
      .then(NotFoundError, /sched-1/);
  });
});

describe('ScheduleOverride', () => {
  it('schedules the override', () => {
    spec
      .given([created])
      .when(overrideFor('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'))
      .then([
        {
          type: 'OnCallOverrideScheduled',
          data: {
            scheduleId: 'sched-1',
            overrideId: 'ovr-2',
            person: 'zoe',
            startsAt: '2026-03-02T00:00:00Z',
            endsAt: '2026-03-03T00:00:00Z',
          },
        },
      ]);
  });

  it('refuses an end before the start', () => {
    spec
      .given([created])
      .when(overrideFor('2026-03-03T00:00:00Z', '2026-03-02T00:00:00Z'))
      .then(ValidationError);
  });

  it('accepts 90 days and refuses longer', () => {
    const ninetyDays = overrideFor('2026-03-02T00:00:00Z', '2026-05-31T00:00:00Z');
    const longer = overrideFor('2026-03-02T00:00:00Z', '2026-05-31T00:00:01Z');

    expect(fieldsRejected(ninetyDays, [created])).toEqual([]);
    spec.given([created]).when(longer).then(ValidationError);
  });

  it('takes the longest override from the rules it is given', () => {
    const state = evolveOnCallSchedule(initialOnCallScheduleState, created);
    const threeDays = overrideFor('2026-03-02T00:00:00Z', '2026-03-05T00:00:00Z');

    const decide = () =>
      decideOnCallSchedule(state, threeDays, new Date('2026-03-01T12:00:00Z'), {
        maxOverrideDays: 2,
      });

    expect(decide).toThrow(
      expect.objectContaining({
        fieldErrors: [{ field: 'endsAt', message: 'an override may last at most 2 days' }],
      }),
    );
  });

  it('refuses an override that is already over', () => {
    spec
      .given([created])
      .when(overrideFor('2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z'))
      .then(ValidationError);
  });

  it('refuses an override id used before, even if cancelled', () => {
    const cancelled: OnCallScheduleEvent = {
      type: 'OnCallOverrideCancelled',
      data: { scheduleId: 'sched-1', overrideId: 'ovr-2', cancelledAt: '2026-03-01T00:00:00Z' },
    };
    const reused = {
      ...overrideScheduled,
      data: { ...overrideScheduled.data, overrideId: 'ovr-2' },
    };

    spec
      .given([created, reused, cancelled])
      .when(overrideFor('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'))
      .then(ConflictError);
  });
});

describe('CancelOverride', () => {
  const cancel: OnCallScheduleCommand = {
    type: 'CancelOverride',
    data: { scheduleId: 'sched-1', overrideId: 'ovr-1' },
  };

  it('cancels the override as of now', () => {
    spec
      .given([created, overrideScheduled])
      .when(cancel, '2026-03-10T06:00:00Z')
      .then([
        {
          type: 'OnCallOverrideCancelled',
          data: {
            scheduleId: 'sched-1',
            overrideId: 'ovr-1',
            cancelledAt: '2026-03-10T06:00:00.000Z',
          },
        },
      ]);
  });

  it('refuses an override the schedule does not have', () => {
    spec.given([created]).when(cancel).then(NotFoundError, /ovr-1/);
  });

  it('refuses to cancel twice', () => {
    const cancelled = decideOnCallSchedule(
      [created, overrideScheduled].reduce(evolveOnCallSchedule, initialOnCallScheduleState),
      cancel,
      new Date('2026-03-01T12:00:00Z'),
    );

    spec
      .given([created, overrideScheduled, ...cancelled])
      .when(cancel)
      .then(IllegalStateError, /already cancelled/);
  });

  it('refuses to cancel an override that is over', () => {
    spec
      .given([created, overrideScheduled])
      .when(cancel, '2026-03-10T12:00:00Z')
      .then(IllegalStateError, /already over/);
  });
});

describe('the schedule after a cancellation', () => {
  function cancelledAt(cancelledAtIso: string) {
    const cancelled: OnCallScheduleEvent = {
      type: 'OnCallOverrideCancelled',
      data: { scheduleId: 'sched-1', overrideId: 'ovr-1', cancelledAt: cancelledAtIso },
    };
    const state = [created, overrideScheduled, cancelled].reduce(
      evolveOnCallSchedule,
      initialOnCallScheduleState,
    );
    if (state.status !== 'active') {
      throw new Error('the schedule should exist');
    }
    return state.schedule;
  }

  it('drops an override cancelled before it began', () => {
    const schedule = cancelledAt('2026-03-09T00:00:00Z');

    expect(whoIsOnCall(schedule, new Date('2026-03-10T06:00:00Z'))).toMatchObject({
      source: 'layer',
    });
  });

  it('keeps a running override in force up to its cancellation, so history stays true', () => {
    const schedule = cancelledAt('2026-03-10T06:00:00Z');

    expect(whoIsOnCall(schedule, new Date('2026-03-10T05:00:00Z'))).toMatchObject({
      personId: 'zoe',
      shiftEnd: '2026-03-10T06:00:00.000Z',
    });
    expect(whoIsOnCall(schedule, new Date('2026-03-10T06:00:00Z'))).toMatchObject({
      source: 'layer',
    });
  });
});

describe('event payloads', () => {
  it('are plain JSON that survives the event store unchanged', () => {
    const events = decideOnCallSchedule(
      initialOnCallScheduleState,
      createWith([aLayer({ restrictions: { from: '22:00', to: '06:00' } })]),
      new Date('2026-03-01T12:00:00Z'),
    );
    const payloads: Array<Record<string, unknown>> = events.map((event) => event.data);

    expect(JSON.parse(JSON.stringify(payloads))).toEqual(payloads);
  });
});
