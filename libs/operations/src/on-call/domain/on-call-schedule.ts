export type Rotation = 'daily' | 'weekly' | 'custom';

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

export type Weekday = (typeof WEEKDAYS)[number];

/** A daily window of local wall time; `to` before `from` runs past midnight. */
export interface DailyWindow {
  from: string;
  to: string;
}

/**
 * One rotation of people. Handoffs happen at `handoffTime` local wall time in
 * the schedule's zone: every day (daily), every `handoffDay` (weekly), or
 * every `rotationLengthHours` of wall time counted from `handoffTime` on the
 * day the layer starts (custom). The first member is on call from `startsAt`
 * until the first handoff after it.
 */
export interface ScheduleLayer {
  name: string;
  members: string[];
  rotation: Rotation;
  rotationLengthHours?: number;
  handoffTime: string;
  handoffDay?: Weekday;
  startsAt: string;
  restrictions?: DailyWindow;
}

/** Puts one person on call over every layer between `startsAt` and `endsAt`. */
export interface OnCallOverride {
  id: string;
  person: string;
  startsAt: string;
  endsAt: string;
}

/** Later layers win where they have someone on call; overrides beat every layer. */
export interface OnCallSchedule {
  id: string;
  name: string;
  timeZone: string;
  layers: ScheduleLayer[];
  overrides: OnCallOverride[];
}

export type ShiftSource = 'override' | 'layer';

/** Who is on call over one stretch of time, as the final schedule renders it. */
export interface OnCallShift {
  personId: string;
  source: ShiftSource;
  /** Name of the layer, when the shift comes from a layer. */
  layer?: string;
  /** Id of the override, when the shift comes from one. */
  overrideId?: string;
  shiftStart: string;
  shiftEnd: string;
}
