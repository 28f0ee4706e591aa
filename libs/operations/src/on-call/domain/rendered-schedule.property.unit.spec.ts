import fc from 'fast-check';

import { ScheduleLayer, WEEKDAYS } from './on-call-schedule';
import { shiftsBetween, whoIsOnCall } from './rendered-schedule';
import { aLayer, aSchedule } from './testing/schedule-factory';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

// Zones with one-hour, half-hour (Lord Howe) and no DST, and odd offsets.
const zones = fc.constantFrom(
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Asia/Kolkata',
  'UTC',
);

const clockTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([hours, minutes]) => `${pad(hours)}:${pad(minutes)}`);

const rotation: fc.Arbitrary<
  Pick<ScheduleLayer, 'rotation' | 'handoffDay' | 'rotationLengthHours'>
> = fc.oneof(
  fc.constant({ rotation: 'daily' as const }),
  fc.constantFrom(...WEEKDAYS).map((handoffDay) => ({ rotation: 'weekly' as const, handoffDay })),
  fc.integer({ min: 1, max: 72 }).map((hours) => ({
    rotation: 'custom' as const,
    rotationLengthHours: hours,
  })),
);

const fullCoverageLayer = fc
  .record({
    members: fc.uniqueArray(fc.constantFrom('ana', 'ben', 'cho', 'dan', 'eve'), {
      minLength: 1,
      maxLength: 5,
    }),
    rotation,
    handoffTime: clockTime,
    startsAt: fc.integer({
      min: Date.parse('2025-01-01T00:00:00Z'),
      max: Date.parse('2027-12-31T00:00:00Z'),
    }),
  })
  .map(({ members, rotation: turns, handoffTime, startsAt }) =>
    aLayer({ members, handoffTime, startsAt: new Date(startsAt).toISOString(), ...turns }),
  );

const rangeAfterStart = fc.record({
  delay: fc.integer({ min: 0, max: 30 * DAY_MS }),
  length: fc.integer({ min: MINUTE_MS, max: 21 * DAY_MS }),
  probe: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
});

describe('a single layer with no restrictions', () => {
  it('has exactly one member on call at any instant after it starts', () => {
    fc.assert(
      fc.property(zones, fullCoverageLayer, rangeAfterStart, (timeZone, layer, range) => {
        const schedule = aSchedule({ timeZone, layers: [layer] });
        const from = Date.parse(layer.startsAt) + range.delay;
        const instant = new Date(from + Math.floor(range.probe * range.length));

        const onCall = whoIsOnCall(schedule, instant);

        expect(onCall).not.toBeNull();
        expect(layer.members).toContain(onCall?.personId);
        expect(Date.parse(onCall?.shiftStart ?? '')).toBeLessThanOrEqual(instant.getTime());
        expect(Date.parse(onCall?.shiftEnd ?? '')).toBeGreaterThan(instant.getTime());
      }),
    );
  });

  it('renders shifts that cover the range without gaps or overlaps', () => {
    fc.assert(
      fc.property(zones, fullCoverageLayer, rangeAfterStart, (timeZone, layer, range) => {
        const schedule = aSchedule({ timeZone, layers: [layer] });
        const from = Date.parse(layer.startsAt) + range.delay;
        const to = from + range.length;
        const instant = from + Math.floor(range.probe * range.length);

        const shifts = shiftsBetween(schedule, new Date(from), new Date(to));

        const starts = shifts.map((shift) => Date.parse(shift.shiftStart));
        const ends = shifts.map((shift) => Date.parse(shift.shiftEnd));
        expect(starts[0]).toBe(from);
        expect(ends[ends.length - 1]).toBe(to);
        expect(starts.slice(1)).toEqual(ends.slice(0, -1));
        starts.forEach((start, index) => expect(ends[index]).toBeGreaterThan(start));

        const covering = shifts.filter(
          (_shift, index) => starts[index] <= instant && instant < ends[index],
        );
        expect(covering).toHaveLength(1);
        expect(covering[0].personId).toBe(whoIsOnCall(schedule, new Date(instant))?.personId);
      }),
    );
  });
});

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
