export * from './escalation-policy';
export * from './escalation-policy.commands';
export * from './escalation-policy.events';
export * from './escalation-policy.decider';
export { MAX_REPEAT } from './escalation-policy.validation';
export * from './escalation-plan';
export * from './escalation-targets';
