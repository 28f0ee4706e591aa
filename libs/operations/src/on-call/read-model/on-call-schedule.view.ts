import { OnCallOverride, OnCallSchedule, OnCallShift, ScheduleLayer } from '../domain';

export interface OnCallScheduleView {
  id: string;
  name: string;
  timeZone: string;
  teamId: string | null;
  /** Lowest precedence first; a later layer wins where it has someone on call. */
  layers: ScheduleLayer[];
  /** Overrides beat every layer. One cancelled while running ends at its cancellation. */
  overrides: OnCallOverride[];
}

export interface ScheduleOnCallView {
  scheduleId: string;
  scheduleName: string;
  timeZone: string;
  at: string;
  /** Who is on call then and the bounds of that shift; null when nobody is. */
  onCall: OnCallShift | null;
}

export function toScheduleView(
  schedule: OnCallSchedule,
  teamId: string | null,
): OnCallScheduleView {
  return {
    id: schedule.id,
    name: schedule.name,
    timeZone: schedule.timeZone,
    teamId,
    layers: schedule.layers,
    overrides: schedule.overrides,
  };
}
