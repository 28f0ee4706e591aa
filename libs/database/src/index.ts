export * from './embedded-postgres.launcher';
export * from './transactions';
export * from './folded-transaction';
export * from './schema-installer';
export * from './database.module';
export * from './prepared-query';
export * from './sql-state';
