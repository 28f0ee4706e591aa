export * from './request-context';
export * from './pino-logger';
