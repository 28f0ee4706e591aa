import { ScheduleLayer } from './on-call-schedule';

export type ScheduleCreated = {
  type: 'ScheduleCreated';
  data: { scheduleId: string; name: string; timeZone: string; layers: ScheduleLayer[] };
};

/** Carries the whole list of layers, lowest precedence first. */
export type ScheduleLayersReplaced = {
  type: 'ScheduleLayersReplaced';
  data: { scheduleId: string; layers: ScheduleLayer[] };
};

export type OnCallOverrideScheduled = {
  type: 'OnCallOverrideScheduled';
  data: {
    scheduleId: string;
    overrideId: string;
    person: string;
    startsAt: string;
    endsAt: string;
  };
};

/**
 * An override cancelled before it began no longer counts at all; one cancelled
 * while running still counts up to `cancelledAt`, so history stays true.
 */
export type OnCallOverrideCancelled = {
  type: 'OnCallOverrideCancelled';
  data: { scheduleId: string; overrideId: string; cancelledAt: string };
};

export type OnCallScheduleEvent =
  ScheduleCreated | ScheduleLayersReplaced | OnCallOverrideScheduled | OnCallOverrideCancelled;
