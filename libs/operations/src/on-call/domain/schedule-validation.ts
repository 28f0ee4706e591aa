import { DailyWindow, Rotation, ScheduleLayer, WEEKDAYS, Weekday } from './on-call-schedule';
import { isClockTime, isTimeZone } from './wall-time';
import { FieldErrors, checkInstant, checkText } from './field-errors';

const ROTATIONS: readonly Rotation[] = ['daily', 'weekly', 'custom'];

export function checkTimeZone(errors: FieldErrors, field: string, value: string): void {
  if (!isTimeZone(value)) {
    errors.add(field, `${value} is not an IANA time zone such as America/New_York`);
  }
}

export function checkLayers(errors: FieldErrors, field: string, layers: ScheduleLayer[]): void {
  const names = new Set<string>();
  layers.forEach((layer, index) => {
    const at = `${field}[${index}]`;
    checkText(errors, `${at}.name`, layer.name);
    if (names.has(layer.name)) {
      errors.add(`${at}.name`, `another layer is already named ${layer.name}`);
    }
    names.add(layer.name);
    checkLayer(errors, at, layer);
  });
}

function checkLayer(errors: FieldErrors, at: string, layer: ScheduleLayer): void {
  if (layer.members.length === 0) {
    errors.add(`${at}.members`, 'must name at least one person');
  }
  layer.members.forEach((member, index) => checkText(errors, `${at}.members[${index}]`, member));
  checkClockTime(errors, `${at}.handoffTime`, layer.handoffTime);
  checkInstant(errors, `${at}.startsAt`, layer.startsAt);
  checkRotation(errors, at, layer);
  if (layer.restrictions) {
    checkWindow(errors, `${at}.restrictions`, layer.restrictions);
  }
}

function checkRotation(errors: FieldErrors, at: string, layer: ScheduleLayer): void {
  if (!ROTATIONS.includes(layer.rotation)) {
    errors.add(`${at}.rotation`, `must be one of ${ROTATIONS.join(', ')}`);
  }

  const length = layer.rotationLengthHours;
  if (layer.rotation === 'custom') {
    if (length === undefined || !Number.isInteger(length) || length < 1) {
      errors.add(
        `${at}.rotationLengthHours`,
        'a custom rotation needs a whole number of hours, at least 1',
      );
    }
  } else if (length !== undefined) {
    errors.add(`${at}.rotationLengthHours`, 'applies only to custom rotations');
  }

  if (layer.rotation === 'weekly') {
    if (!isWeekday(layer.handoffDay)) {
      errors.add(`${at}.handoffDay`, `a weekly rotation needs one of ${WEEKDAYS.join(', ')}`);
    }
  } else if (layer.handoffDay !== undefined) {
    errors.add(`${at}.handoffDay`, 'applies only to weekly rotations');
  }
}

function checkWindow(errors: FieldErrors, at: string, window: DailyWindow): void {
  checkClockTime(errors, `${at}.from`, window.from);
  checkClockTime(errors, `${at}.to`, window.to);
  if (window.from === window.to) {
    errors.add(`${at}.to`, 'must differ from from; leave restrictions out to cover the whole day');
  }
}

function checkClockTime(errors: FieldErrors, field: string, value: string): void {
  if (!isClockTime(value)) {
    errors.add(field, 'must be a 24-hour local time HH:mm, such as 09:00');
  }
}

function isWeekday(value: string | undefined): value is Weekday {
  return WEEKDAYS.some((day) => day === value);
}
