export * from './integration-events/integration-event';
export * from './integration-events/integration-event-registry';
export * from './relay-worker/relay-checkpoints.schema';
export * from './relay-worker/relay-worker';
export * from './relay.module';
