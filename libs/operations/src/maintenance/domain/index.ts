export * from './maintenance-window';
export * from './maintenance-window.commands';
export * from './maintenance-window.events';
export * from './maintenance-window.decider';
export * from './maintenance-lookup';
