import 'reflect-metadata';

import { bootstrapPlatform, logStartup } from '@observe/runtime';

/**
 * Relays domain events from the event store to Kafka as integration events.
 * Run several for availability: one relays, the others stand by.
 */
async function main(): Promise<void> {
  const started = await bootstrapPlatform({ roles: ['relay'] });
  logStartup(started, ['relay']);
}

void main();
