export * from './environment.schema';
export * from './load-environment';
export * from './config.module';
