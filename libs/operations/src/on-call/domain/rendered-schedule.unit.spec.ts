import { ValidationError } from '@observe/core';

import { shiftsBetween, whoIsOnCall } from './rendered-schedule';
import { aLayer, aSchedule, anOverride } from './testing/schedule-factory';

function iso(value: string): string {
  return new Date(value).toISOString();
}

const base = aLayer({ name: 'primary', members: ['ana', 'ben'], startsAt: '2026-01-05T09:00:00Z' });
const businessHours = aLayer({
  name: 'business-hours',
  members: ['cho', 'dan'],
  startsAt: '2026-01-05T09:00:00Z',
  restrictions: { from: '09:00', to: '17:00' },
});

describe('layer precedence', () => {
  const schedule = aSchedule({ layers: [base, businessHours] });

  it('lets the later layer win where it has someone on call', () => {
    const onCall = whoIsOnCall(schedule, new Date('2026-01-05T12:00:00Z'));

    expect(onCall).toEqual({
      personId: 'cho',
      source: 'layer',
      layer: 'business-hours',
      shiftStart: iso('2026-01-05T09:00:00Z'),
      shiftEnd: iso('2026-01-05T17:00:00Z'),
    });
  });

  it('falls through to the earlier layer outside the later layer window', () => {
    const onCall = whoIsOnCall(schedule, new Date('2026-01-05T20:00:00Z'));

    expect(onCall).toEqual({
      personId: 'ana',
      source: 'layer',
      layer: 'primary',
      shiftStart: iso('2026-01-05T17:00:00Z'),
      shiftEnd: iso('2026-01-06T09:00:00Z'),
    });
  });

  it('renders the day as the later layer by day and the earlier by night', () => {
    const shifts = shiftsBetween(
      schedule,
      new Date('2026-01-05T09:00:00Z'),
      new Date('2026-01-06T17:00:00Z'),
    );

    expect(shifts.map((shift) => [shift.personId, shift.layer, shift.shiftStart])).toEqual([
      ['cho', 'business-hours', iso('2026-01-05T09:00:00Z')],
      ['ana', 'primary', iso('2026-01-05T17:00:00Z')],
      ['dan', 'business-hours', iso('2026-01-06T09:00:00Z')],
    ]);
  });

  it('keeps the earlier layer in force before a later layer starts', () => {
    const later = { ...businessHours, startsAt: '2026-02-01T09:00:00Z' };

    const onCall = whoIsOnCall(
      aSchedule({ layers: [base, later] }),
      new Date('2026-01-06T12:00:00Z'),
    );

    expect(onCall).toMatchObject({ personId: 'ben', layer: 'primary' });
  });

  it('follows the order of the layers, not their names', () => {
    const reversed = aSchedule({ layers: [businessHours, base] });

    const onCall = whoIsOnCall(reversed, new Date('2026-01-05T12:00:00Z'));

    expect(onCall).toMatchObject({ personId: 'ana', layer: 'primary' });
  });
});

describe('overrides', () => {
  it('beat every layer over their range', () => {
    const schedule = aSchedule({
      layers: [base, businessHours],
      overrides: [anOverride({ startsAt: '2026-01-05T10:00:00Z', endsAt: '2026-01-05T11:00:00Z' })],
    });

    const shifts = shiftsBetween(
      schedule,
      new Date('2026-01-05T09:00:00Z'),
      new Date('2026-01-05T17:00:00Z'),
    );

    expect(shifts.map((shift) => [shift.personId, shift.source, shift.shiftStart])).toEqual([
      ['cho', 'layer', iso('2026-01-05T09:00:00Z')],
      ['zoe', 'override', iso('2026-01-05T10:00:00Z')],
      ['cho', 'layer', iso('2026-01-05T11:00:00Z')],
    ]);
  });

  it('let the one scheduled last win where two overlap', () => {
    const schedule = aSchedule({
      overrides: [
        anOverride({
          id: 'first',
          person: 'zoe',
          startsAt: '2026-01-10T00:00:00Z',
          endsAt: '2026-01-10T12:00:00Z',
        }),
        anOverride({
          id: 'second',
          person: 'yan',
          startsAt: '2026-01-10T06:00:00Z',
          endsAt: '2026-01-10T18:00:00Z',
        }),
      ],
    });

    const shifts = shiftsBetween(
      schedule,
      new Date('2026-01-10T00:00:00Z'),
      new Date('2026-01-10T18:00:00Z'),
    );

    expect(shifts.map((shift) => [shift.overrideId, shift.shiftStart, shift.shiftEnd])).toEqual([
      ['first', iso('2026-01-10T00:00:00Z'), iso('2026-01-10T06:00:00Z')],
      ['second', iso('2026-01-10T06:00:00Z'), iso('2026-01-10T18:00:00Z')],
    ]);
  });

  it('put someone on call even where no layer does', () => {
    const schedule = aSchedule({ layers: [], overrides: [anOverride()] });

    const onCall = whoIsOnCall(schedule, new Date('2026-01-10T06:00:00Z'));

    expect(onCall).toMatchObject({ personId: 'zoe', source: 'override' });
  });
});

describe('restrictions', () => {
  it('cover a window that runs past midnight', () => {
    const nights = aLayer({ restrictions: { from: '22:00', to: '06:00' } });
    const schedule = aSchedule({ layers: [nights] });

    const onCall = whoIsOnCall(schedule, new Date('2026-01-06T02:00:00Z'));

    expect(onCall).toMatchObject({
      personId: 'ana',
      shiftStart: iso('2026-01-05T22:00:00Z'),
      shiftEnd: iso('2026-01-06T06:00:00Z'),
    });
  });

  it('leave nobody on call outside the window when no other layer covers it', () => {
    const schedule = aSchedule({ layers: [businessHours] });

    expect(whoIsOnCall(schedule, new Date('2026-01-05T18:00:00Z'))).toBeNull();
  });

  it('only hide the rotation, which keeps turning inside the window', () => {
    const straddling = aLayer({
      members: ['ana', 'ben'],
      restrictions: { from: '08:00', to: '10:00' },
    });
    const schedule = aSchedule({ layers: [straddling] });

    const shifts = shiftsBetween(
      schedule,
      new Date('2026-01-06T00:00:00Z'),
      new Date('2026-01-07T00:00:00Z'),
    );

    expect(shifts.map((shift) => [shift.personId, shift.shiftStart, shift.shiftEnd])).toEqual([
      ['ana', iso('2026-01-06T08:00:00Z'), iso('2026-01-06T09:00:00Z')],
      ['ben', iso('2026-01-06T09:00:00Z'), iso('2026-01-06T10:00:00Z')],
    ]);
  });
});

describe('rotation turns', () => {
  it('give the first member the part turn from the layer start to the first handoff', () => {
    const layer = aLayer({ startsAt: '2026-01-05T15:00:00Z' });

    const onCall = whoIsOnCall(aSchedule({ layers: [layer] }), new Date('2026-01-06T08:00:00Z'));

    expect(onCall).toMatchObject({
      personId: 'ana',
      shiftStart: iso('2026-01-05T15:00:00Z'),
      shiftEnd: iso('2026-01-06T09:00:00Z'),
    });
  });

  it('cycle back to the first member after the last', () => {
    const onCall = whoIsOnCall(aSchedule(), new Date('2026-01-08T10:00:00Z'));

    expect(onCall).toMatchObject({ personId: 'ana', shiftStart: iso('2026-01-08T09:00:00Z') });
  });

  it('stay separate shifts when one person follows themselves', () => {
    const solo = aLayer({ members: ['ana'] });

    const shifts = shiftsBetween(
      aSchedule({ layers: [solo] }),
      new Date('2026-01-06T00:00:00Z'),
      new Date('2026-01-07T00:00:00Z'),
    );

    expect(shifts.map((shift) => shift.shiftStart)).toEqual([
      iso('2026-01-06T00:00:00Z'),
      iso('2026-01-06T09:00:00Z'),
    ]);
  });
});

describe('the rendered range', () => {
  it('is nobody before the first layer starts', () => {
    expect(whoIsOnCall(aSchedule(), new Date('2026-01-05T08:59:59Z'))).toBeNull();
  });

  it('cuts shifts to the range asked for', () => {
    const shifts = shiftsBetween(
      aSchedule(),
      new Date('2026-01-06T12:00:00Z'),
      new Date('2026-01-06T13:00:00Z'),
    );

    expect(shifts).toEqual([
      {
        personId: 'ben',
        source: 'layer',
        layer: 'primary',
        shiftStart: iso('2026-01-06T12:00:00Z'),
        shiftEnd: iso('2026-01-06T13:00:00Z'),
      },
    ]);
  });

  it('refuses a range that ends before it starts', () => {
    const backwards = () =>
      shiftsBetween(
        aSchedule(),
        new Date('2026-01-06T13:00:00Z'),
        new Date('2026-01-06T12:00:00Z'),
      );

    expect(backwards).toThrow(ValidationError);
  });
});
