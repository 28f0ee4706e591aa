export * from './domain-error';
export * from './retriable-error';
export * from './sleep';
export * from './clock';
export * from './periodic-task';
export * from './deterministic-uuid';
export * from './safe-id';
export * from './context-slot';
