import { DateTime } from 'luxon';

import { shiftsBetween, whoIsOnCall } from './rendered-schedule';
import { aLayer, aSchedule, anOverride } from './testing/schedule-factory';

const HOUR_MS = 3_600_000;

function iso(value: string): string {
  return new Date(value).toISOString();
}

function hoursBetween(start: string, end: string): number {
  return (Date.parse(end) - Date.parse(start)) / HOUR_MS;
}

function localClock(instant: string, zone: string): string {
  return DateTime.fromISO(instant).setZone(zone).toFormat('HH:mm');
}

/** A daily 09:00 rotation running across each change; the turn over the change day. */
const changes = [
  {
    zone: 'America/New_York',
    change: 'spring-forward',
    dayBefore: '2026-03-07T09:00:00-05:00',
    changeDay: '2026-03-08T09:00:00-04:00',
    dayAfter: '2026-03-09T09:00:00-04:00',
    turnHours: 23,
    overrideFrom: '2026-03-08T00:00:00-05:00',
    overrideTo: '2026-03-08T12:00:00-04:00',
    overrideHours: 11,
  },
  {
    zone: 'America/New_York',
    change: 'fall-back',
    dayBefore: '2026-10-31T09:00:00-04:00',
    changeDay: '2026-11-01T09:00:00-05:00',
    dayAfter: '2026-11-02T09:00:00-05:00',
    turnHours: 25,
    overrideFrom: '2026-11-01T00:00:00-04:00',
    overrideTo: '2026-11-01T12:00:00-05:00',
    overrideHours: 13,
  },
  {
    zone: 'Europe/Berlin',
    change: 'spring-forward',
    dayBefore: '2026-03-28T09:00:00+01:00',
    changeDay: '2026-03-29T09:00:00+02:00',
    dayAfter: '2026-03-30T09:00:00+02:00',
    turnHours: 23,
    overrideFrom: '2026-03-29T00:00:00+01:00',
    overrideTo: '2026-03-29T12:00:00+02:00',
    overrideHours: 11,
  },
  {
    zone: 'Europe/Berlin',
    change: 'fall-back',
    dayBefore: '2026-10-24T09:00:00+02:00',
    changeDay: '2026-10-25T09:00:00+01:00',
    dayAfter: '2026-10-26T09:00:00+01:00',
    turnHours: 25,
    overrideFrom: '2026-10-25T00:00:00+02:00',
    overrideTo: '2026-10-25T12:00:00+01:00',
    overrideHours: 13,
  },
];

describe.each(changes)('a daily 09:00 handoff in $zone across $change', (change) => {
  const schedule = aSchedule({
    timeZone: change.zone,
    layers: [aLayer({ members: ['ana', 'ben'], startsAt: change.dayBefore })],
  });

  it(`still hands off at 09:00 local, so the turn lasts ${change.turnHours} hours`, () => {
    const shifts = shiftsBetween(schedule, new Date(change.dayBefore), new Date(change.dayAfter));

    expect(shifts).toEqual([
      {
        personId: 'ana',
        source: 'layer',
        layer: 'primary',
        shiftStart: iso(change.dayBefore),
        shiftEnd: iso(change.changeDay),
      },
      {
        personId: 'ben',
        source: 'layer',
        layer: 'primary',
        shiftStart: iso(change.changeDay),
        shiftEnd: iso(change.dayAfter),
      },
    ]);
    expect(hoursBetween(shifts[0].shiftStart, shifts[0].shiftEnd)).toBe(change.turnHours);
    expect(localClock(shifts[1].shiftStart, change.zone)).toBe('09:00');
  });

  it('tells who is on call with the bounds of the long or short turn', () => {
    const justBeforeHandoff = new Date(Date.parse(change.changeDay) - 1);

    const onCall = whoIsOnCall(schedule, justBeforeHandoff);

    expect(onCall).toEqual({
      personId: 'ana',
      source: 'layer',
      layer: 'primary',
      shiftStart: iso(change.dayBefore),
      shiftEnd: iso(change.changeDay),
    });
  });

  describe('with an override from local midnight to noon on the change day', () => {
    const overridden = {
      ...schedule,
      overrides: [anOverride({ startsAt: change.overrideFrom, endsAt: change.overrideTo })],
    };

    it(`gives the override its ${change.overrideHours} real hours and the turns the rest`, () => {
      const shifts = shiftsBetween(
        overridden,
        new Date(change.dayBefore),
        new Date(change.dayAfter),
      );

      expect(shifts.map((shift) => [shift.personId, shift.shiftStart, shift.shiftEnd])).toEqual([
        ['ana', iso(change.dayBefore), iso(change.overrideFrom)],
        ['zoe', iso(change.overrideFrom), iso(change.overrideTo)],
        ['ben', iso(change.overrideTo), iso(change.dayAfter)],
      ]);
      expect(hoursBetween(shifts[1].shiftStart, shifts[1].shiftEnd)).toBe(change.overrideHours);
    });

    it('puts the override person on call at the 09:00 handoff', () => {
      const onCall = whoIsOnCall(overridden, new Date(change.changeDay));

      expect(onCall).toEqual({
        personId: 'zoe',
        source: 'override',
        overrideId: 'override-1',
        shiftStart: iso(change.overrideFrom),
        shiftEnd: iso(change.overrideTo),
      });
    });

    it('hands back to the layer when the override ends', () => {
      const onCall = whoIsOnCall(overridden, new Date(change.overrideTo));

      expect(onCall).toMatchObject({
        personId: 'ben',
        source: 'layer',
        shiftStart: iso(change.overrideTo),
        shiftEnd: iso(change.dayAfter),
      });
    });
  });
});

describe('handoff times the change skips or repeats', () => {
  it.each([
    {
      zone: 'America/New_York',
      startsAt: '2026-03-07T02:30:00-05:00',
      handoff: '2026-03-08T03:00:00-04:00',
      next: '2026-03-09T02:30:00-04:00',
    },
    {
      zone: 'Europe/Berlin',
      startsAt: '2026-03-28T02:30:00+01:00',
      handoff: '2026-03-29T03:00:00+02:00',
      next: '2026-03-30T02:30:00+02:00',
    },
  ])('moves a skipped 02:30 in $zone to 03:00, the first instant after the gap', (day) => {
    const schedule = aSchedule({
      timeZone: day.zone,
      layers: [aLayer({ members: ['ana', 'ben'], handoffTime: '02:30', startsAt: day.startsAt })],
    });

    const shifts = shiftsBetween(schedule, new Date(day.startsAt), new Date(day.next));

    expect(shifts.map((shift) => shift.shiftEnd)).toEqual([iso(day.handoff), iso(day.next)]);
  });

  it.each([
    {
      zone: 'America/New_York',
      handoffTime: '01:30',
      startsAt: '2026-10-31T01:30:00-04:00',
      firstOccurrence: '2026-11-01T01:30:00-04:00',
    },
    {
      zone: 'Europe/Berlin',
      handoffTime: '02:30',
      startsAt: '2026-10-24T02:30:00+02:00',
      firstOccurrence: '2026-10-25T02:30:00+02:00',
    },
  ])('hands off at the first occurrence of a repeated $handoffTime in $zone', (day) => {
    const schedule = aSchedule({
      timeZone: day.zone,
      layers: [
        aLayer({ members: ['ana', 'ben'], handoffTime: day.handoffTime, startsAt: day.startsAt }),
      ],
    });
    const secondOccurrence = new Date(Date.parse(day.firstOccurrence) + HOUR_MS);

    const onCall = whoIsOnCall(schedule, secondOccurrence);

    expect(onCall).toMatchObject({ personId: 'ben', shiftStart: iso(day.firstOccurrence) });
  });
});

describe('rotations other than daily across a change', () => {
  it('hands a weekly Berlin rotation over on Monday 10:00 local either side of the change', () => {
    const schedule = aSchedule({
      timeZone: 'Europe/Berlin',
      layers: [
        aLayer({
          members: ['ana', 'ben'],
          rotation: 'weekly',
          handoffDay: 'monday',
          handoffTime: '10:00',
          startsAt: '2026-03-18T12:00:00+01:00',
        }),
      ],
    });

    const shifts = shiftsBetween(
      schedule,
      new Date('2026-03-18T12:00:00+01:00'),
      new Date('2026-04-06T10:00:00+02:00'),
    );

    expect(shifts.map((shift) => [shift.personId, shift.shiftStart])).toEqual([
      ['ana', iso('2026-03-18T12:00:00+01:00')],
      ['ben', iso('2026-03-23T10:00:00+01:00')],
      ['ana', iso('2026-03-30T10:00:00+02:00')],
    ]);
    expect(hoursBetween(shifts[1].shiftStart, shifts[1].shiftEnd)).toBe(7 * 24 - 1);
  });

  it('keeps a custom 12-hour rotation at 08:00 and 20:00 local, shortening the night turn', () => {
    const schedule = aSchedule({
      timeZone: 'America/New_York',
      layers: [
        aLayer({
          members: ['ana', 'ben'],
          rotation: 'custom',
          rotationLengthHours: 12,
          handoffTime: '08:00',
          startsAt: '2026-03-07T08:00:00-05:00',
        }),
      ],
    });

    const shifts = shiftsBetween(
      schedule,
      new Date('2026-03-07T08:00:00-05:00'),
      new Date('2026-03-08T20:00:00-04:00'),
    );

    expect(shifts.map((shift) => localClock(shift.shiftStart, 'America/New_York'))).toEqual([
      '08:00',
      '20:00',
      '08:00',
    ]);
    expect(shifts.map((shift) => hoursBetween(shift.shiftStart, shift.shiftEnd))).toEqual([
      12, 11, 12,
    ]);
  });
});
