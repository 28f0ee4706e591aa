export * from './embedded-postgres.launcher';
export * from './transactions';
export * from './schema-installer';
export * from './database.module';
