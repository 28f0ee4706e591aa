import { OnCallOverride, OnCallSchedule, ScheduleLayer } from '../on-call-schedule';

export function aLayer(fields: Partial<ScheduleLayer> = {}): ScheduleLayer {
  return {
    name: 'primary',
    members: ['ana', 'ben', 'cho'],
    rotation: 'daily',
    handoffTime: '09:00',
    startsAt: '2026-01-05T09:00:00Z',
    ...fields,
  };
}

export function aSchedule(fields: Partial<OnCallSchedule> = {}): OnCallSchedule {
  return {
    id: 'schedule-1',
    name: 'Payments primary',
    timeZone: 'UTC',
    layers: [aLayer()],
    overrides: [],
    ...fields,
  };
}

export function anOverride(fields: Partial<OnCallOverride> = {}): OnCallOverride {
  return {
    id: 'override-1',
    person: 'zoe',
    startsAt: '2026-01-10T00:00:00Z',
    endsAt: '2026-01-11T00:00:00Z',
    ...fields,
  };
}
