import 'reflect-metadata';

import { bootstrapPlatform, logStartup } from '@observe/runtime';

/**
 * Turns integration events from Kafka into signed webhook deliveries and
 * sends them. Run as many as the load needs: they share the consumer group's
 * partitions and the delivery table.
 */
async function main(): Promise<void> {
  const started = await bootstrapPlatform({ roles: ['dispatcher'] });
  logStartup(started, ['dispatcher']);
}

void main();
