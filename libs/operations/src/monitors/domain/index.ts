export * from './monitor';
export * from './monitor.commands';
export * from './monitor.events';
export * from './monitor.decider';
export * from './monitor-settings';
