export * from './projection';
export * from './projection-checkpoints.schema';
export * from './projection-worker';
export * from './projection-runner';
export * from './projections.module';
