import { ValidationError } from '@observe/core';

import { layerPiecesBetween } from './layer-rotation';
import { OnCallSchedule, OnCallShift, ShiftSource } from './on-call-schedule';
import { zoneNamed } from './wall-time';

/**
 * A stretch one layer turn or one override could put someone on call. Within a
 * tier the later entry wins; every override outranks every layer.
 */
interface Claim {
  key: string;
  personId: string;
  source: ShiftSource;
  layer?: string;
  overrideId?: string;
  start: number;
  end: number;
}

/**
 * Who is on call at `at`, with the bounds of that person's rendered shift: the
 * part of their layer turn or override that nothing of higher precedence
 * covers. Each layer turn is its own shift, even when the same person follows.
 * Null when nobody is on call.
 */
export function whoIsOnCall(schedule: OnCallSchedule, at: Date): OnCallShift | null {
  const instant = at.getTime();
  const winner = winnerAt(claimsBetween(schedule, instant, instant + 1), instant);
  if (!winner) {
    return null;
  }

  const rendered = render(
    claimsBetween(schedule, winner.start, winner.end),
    winner.start,
    winner.end,
  );
  return rendered.find((shift) => Date.parse(shift.shiftEnd) > instant) ?? null;
}

/**
 * The final schedule over [from, to): shifts in time order, cut to the range,
 * never overlapping. Stretches where nobody is on call are absent.
 */
export function shiftsBetween(schedule: OnCallSchedule, from: Date, to: Date): OnCallShift[] {
  if (to.getTime() < from.getTime()) {
    throw new ValidationError('the range must end after it starts', [
      { field: 'to', message: 'must not be before from' },
    ]);
  }
  return render(
    claimsBetween(schedule, from.getTime(), to.getTime()),
    from.getTime(),
    to.getTime(),
  );
}

/** Claims overlapping [from, to), grouped by precedence from lowest to highest. */
function claimsBetween(schedule: OnCallSchedule, from: number, to: number): Claim[][] {
  const zone = zoneNamed(schedule.timeZone);
  const layerClaims = schedule.layers.map((layer, index) =>
    layerPiecesBetween(layer, zone, from, to).map((piece): Claim => ({
      key: `layer:${index}:${piece.start}`,
      personId: piece.personId,
      source: 'layer',
      layer: layer.name,
      start: piece.start,
      end: piece.end,
    })),
  );
  const overrideClaims = schedule.overrides.map((override): Claim[] => {
    const start = Date.parse(override.startsAt);
    const end = Date.parse(override.endsAt);
    if (end <= from || start >= to) {
      return [];
    }
    return [
      {
        key: `override:${override.id}`,
        personId: override.person,
        source: 'override',
        overrideId: override.id,
        start,
        end,
      },
    ];
  });
  return [...layerClaims, ...overrideClaims];
}

function winnerAt(groups: Claim[][], instant: number): Claim | undefined {
  for (let index = groups.length - 1; index >= 0; index -= 1) {
    const claim = groups[index].find((each) => each.start <= instant && instant < each.end);
    if (claim) {
      return claim;
    }
  }
  return undefined;
}

/**
 * Cuts [from, to) at every claim boundary, gives each slice to the claim of
 * highest precedence covering it, and joins neighbouring slices of one claim.
 */
function render(groups: Claim[][], from: number, to: number): OnCallShift[] {
  const cuts = new Set([from, to]);
  for (const claim of groups.flat()) {
    for (const edge of [claim.start, claim.end]) {
      if (edge > from && edge < to) {
        cuts.add(edge);
      }
    }
  }
  const points = [...cuts].sort((left, right) => left - right);

  // Claims in a group are sorted and disjoint, so one cursor per group suffices.
  const cursors = groups.map(() => 0);
  const shifts: Array<{ claim: Claim; start: number; end: number }> = [];
  for (let index = 0; index + 1 < points.length; index += 1) {
    const [start, end] = [points[index], points[index + 1]];
    const claim = coveringClaim(groups, cursors, start);
    const last = shifts[shifts.length - 1];
    if (!claim) {
      continue;
    }
    if (last && last.claim.key === claim.key && last.end === start) {
      last.end = end;
    } else {
      shifts.push({ claim, start, end });
    }
  }

  return shifts.map(({ claim, start, end }) => toShift(claim, start, end));
}

function coveringClaim(groups: Claim[][], cursors: number[], instant: number): Claim | undefined {
  for (let index = groups.length - 1; index >= 0; index -= 1) {
    const group = groups[index];
    while (cursors[index] < group.length && group[cursors[index]].end <= instant) {
      cursors[index] += 1;
    }
    const claim = group[cursors[index]];
    if (claim && claim.start <= instant) {
      return claim;
    }
  }
  return undefined;
}

function toShift(claim: Claim, start: number, end: number): OnCallShift {
  return {
    personId: claim.personId,
    source: claim.source,
    ...(claim.layer === undefined ? {} : { layer: claim.layer }),
    ...(claim.overrideId === undefined ? {} : { overrideId: claim.overrideId }),
    shiftStart: new Date(start).toISOString(),
    shiftEnd: new Date(end).toISOString(),
  };
}
