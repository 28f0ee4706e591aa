export * from './problem-types';
export * from './problem-details.filter';
export * from './validation.pipe';
export * from './request-id.middleware';
export * from './health';
export * from './http.module';
export * from './prepared-response';
export * from './route-access';
