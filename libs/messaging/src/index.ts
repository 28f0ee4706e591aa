export * from './message-bus.port';
export { DEAD_LETTER_HEADERS } from './message-delivery';
export * from './in-process/in-process-message-bus';
export * from './kafka/kafka-message-bus';
export * from './messaging.module';
