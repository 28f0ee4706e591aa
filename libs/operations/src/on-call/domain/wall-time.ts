import { IANAZone } from 'luxon';

import { ValidationError } from '@observe/core';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

// Offsets never exceed 14 hours, so sampling this far either side of a wall
// time sees the offsets in force before and after any nearby transition.
const OFFSET_SAMPLE_MS = 15 * HOUR_MS;

/**
 * "Wall time" here is a local date and time in a zone, held as the number of
 * milliseconds it would be if that zone were UTC. Adding hours to a wall time
 * keeps the clock on the wall in step, which is how handoffs are anchored.
 */
export type WallTime = number;

export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

export function zoneNamed(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) {
    throw new ValidationError(`${name} is not an IANA time zone`, [
      { field: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' },
    ]);
  }
  return zone;
}

export function isClockTime(value: string): boolean {
  return HH_MM.test(value);
}

/** Minutes after midnight of an 'HH:mm' string already checked by `isClockTime`. */
export function minutesOfDay(value: string): number {
  const [hours, minutes] = value.split(':').map(Number);
  return hours * 60 + minutes;
}

export function wallTimeOf(instant: number, zone: IANAZone): WallTime {
  return instant + zone.offset(instant) * MINUTE_MS;
}

/** Midnight that starts the local day holding this wall time. */
export function startOfWallDay(wall: WallTime): WallTime {
  return Math.floor(wall / DAY_MS) * DAY_MS;
}

/** 0 for Sunday through 6 for Saturday. */
export function weekdayOfWall(wall: WallTime): number {
  return new Date(wall).getUTCDay();
}

/**
 * The instant a wall time names. A wall time skipped by a spring-forward
 * change resolves to the first instant after the gap (02:30 on the New York
 * change day is 03:00 EDT); a wall time repeated by a fall-back change
 * resolves to its first occurrence (01:30 on the New York change day is
 * 01:30 EDT, not EST).
 */
export function instantOf(wall: WallTime, zone: IANAZone): number {
  const offsets = new Set([
    zone.offset(wall - OFFSET_SAMPLE_MS),
    zone.offset(wall),
    zone.offset(wall + OFFSET_SAMPLE_MS),
  ]);
  const candidates = [...offsets].map((offset) => wall - offset * MINUTE_MS);
  const exact = candidates.filter((instant) => wallTimeOf(instant, zone) === wall);
  if (exact.length > 0) {
    return Math.min(...exact);
  }

  const after = candidates.filter((instant) => wallTimeOf(instant, zone) > wall);
  const before = candidates.filter((instant) => wallTimeOf(instant, zone) < wall);
  if (after.length === 0 || before.length === 0) {
    return candidates[0];
  }
  return firstInstantPast(wall, zone, Math.max(...before), Math.min(...after));
}

/** Binary search for the transition: the first instant whose wall time is past `wall`. */
function firstInstantPast(wall: WallTime, zone: IANAZone, before: number, after: number): number {
  let low = before;
  let high = after;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallTimeOf(middle, zone) > wall) {
      high = middle;
    } else {
      low = middle;
    }
  }
  return high;
}
