import { IANAZone } from 'luxon';

import { ScheduleLayer, WEEKDAYS } from './on-call-schedule';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  WallTime,
  instantOf,
  minutesOfDay,
  startOfWallDay,
  wallTimeOf,
  weekdayOfWall,
} from './wall-time';

/** One stretch a layer puts a person on call, in epoch milliseconds, end exclusive. */
export interface LayerPiece {
  personId: string;
  start: number;
  end: number;
}

interface Handoffs {
  zone: IANAZone;
  first: WallTime;
  step: number;
}

/**
 * Pieces of the layer's rotation that overlap [from, to), each cut down to the
 * layer's restriction window when it has one. A turn that a restriction splits
 * yields one piece per window; pieces are sorted and never overlap.
 */
export function layerPiecesBetween(
  layer: ScheduleLayer,
  zone: IANAZone,
  from: number,
  to: number,
): LayerPiece[] {
  const layerStart = Date.parse(layer.startsAt);
  const since = Math.max(from, layerStart);
  if (since >= to) {
    return [];
  }

  const handoffs = handoffsOf(layer, zone);
  const firstTurn = turnAt(handoffs, layerStart);
  const pieces: LayerPiece[] = [];
  for (let turn = turnAt(handoffs, since); handoffAt(handoffs, turn) < to; turn += 1) {
    const start = Math.max(handoffAt(handoffs, turn), layerStart);
    const end = handoffAt(handoffs, turn + 1);
    const personId = layer.members[modulo(turn - firstTurn, layer.members.length)];
    for (const [pieceStart, pieceEnd] of restrict(layer, zone, start, end)) {
      if (pieceEnd > from && pieceStart < to) {
        pieces.push({ personId, start: pieceStart, end: pieceEnd });
      }
    }
  }
  return pieces;
}

function handoffsOf(layer: ScheduleLayer, zone: IANAZone): Handoffs {
  const startDay = startOfWallDay(wallTimeOf(Date.parse(layer.startsAt), zone));
  const handoff = minutesOfDay(layer.handoffTime) * MINUTE_MS;

  switch (layer.rotation) {
    case 'daily':
      return { zone, first: startDay + handoff, step: DAY_MS };
    case 'weekly': {
      const target = WEEKDAYS.indexOf(layer.handoffDay ?? 'monday');
      const back = modulo(weekdayOfWall(startDay) - target, 7);
      return { zone, first: startDay - back * DAY_MS + handoff, step: 7 * DAY_MS };
    }
    case 'custom':
      return { zone, first: startDay + handoff, step: (layer.rotationLengthHours ?? 24) * HOUR_MS };
  }
}

/** Instant of handoff number `turn`; the wall-time arithmetic keeps DST out of the count. */
function handoffAt(handoffs: Handoffs, turn: number): number {
  return instantOf(handoffs.first + turn * handoffs.step, handoffs.zone);
}

/** The last handoff at or before the instant; the wall-time estimate is off by one at most. */
function turnAt(handoffs: Handoffs, instant: number): number {
  const wall = wallTimeOf(instant, handoffs.zone);
  let turn = Math.floor((wall - handoffs.first) / handoffs.step);
  while (handoffAt(handoffs, turn) > instant) {
    turn -= 1;
  }
  while (handoffAt(handoffs, turn + 1) <= instant) {
    turn += 1;
  }
  return turn;
}

/** Parts of [start, end) inside the layer's daily window, or the whole of it without one. */
function restrict(
  layer: ScheduleLayer,
  zone: IANAZone,
  start: number,
  end: number,
): Array<[number, number]> {
  if (start >= end) {
    return [];
  }
  if (!layer.restrictions) {
    return [[start, end]];
  }

  const from = minutesOfDay(layer.restrictions.from) * MINUTE_MS;
  const to = minutesOfDay(layer.restrictions.to) * MINUTE_MS;
  const length = to > from ? to - from : DAY_MS - from + to;
  // A window that opened the evening before can still be running at `start`.
  const firstDay = startOfWallDay(wallTimeOf(start, zone)) - DAY_MS;
  const lastDay = startOfWallDay(wallTimeOf(end, zone));

  const parts: Array<[number, number]> = [];
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    const opens = Math.max(instantOf(day + from, zone), start);
    const closes = Math.min(instantOf(day + from + length, zone), end);
    if (opens < closes) {
      parts.push([opens, closes]);
    }
  }
  return parts;
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
