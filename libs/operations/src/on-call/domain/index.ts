export * from './on-call-schedule';
export * from './on-call-schedule.commands';
export * from './on-call-schedule.events';
export * from './on-call-schedule.decider';
export * from './rendered-schedule';
export { isClockTime, isTimeZone } from './wall-time';
