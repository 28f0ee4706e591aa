export * from './roles';
export * from './runtime.module';
export * from './bootstrap';
