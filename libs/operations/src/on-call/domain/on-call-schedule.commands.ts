import { ScheduleLayer } from './on-call-schedule';

export type CreateSchedule = {
  type: 'CreateSchedule';
  data: { scheduleId: string; name: string; timeZone: string; layers?: ScheduleLayer[] };
};

/** Adds a layer on top: it takes precedence over every existing layer. */
export type AddLayer = {
  type: 'AddLayer';
  data: { scheduleId: string; layer: ScheduleLayer };
};

/** Sets all layers at once, lowest precedence first. */
export type ReplaceLayers = {
  type: 'ReplaceLayers';
  data: { scheduleId: string; layers: ScheduleLayer[] };
};

export type ScheduleOverride = {
  type: 'ScheduleOverride';
  data: {
    scheduleId: string;
    overrideId: string;
    person: string;
    startsAt: string;
    endsAt: string;
  };
};

export type CancelOverride = {
  type: 'CancelOverride';
  data: { scheduleId: string; overrideId: string };
};

export type OnCallScheduleCommand =
  CreateSchedule | AddLayer | ReplaceLayers | ScheduleOverride | CancelOverride;
