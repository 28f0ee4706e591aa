export * from './signing';
export * from './ssrf-guard';
export * from './webhook-client';
export * from './retry-schedule';
export * from './retry-after';
export type { Cidr, IpAddress } from './ip-address';
export { cidrContains, parseCidr, parseIp } from './ip-address';
