import 'reflect-metadata';

import { bootstrapPlatform, logStartup } from '@observe/runtime';

/**
 * Escalation timers and monitor checks; no HTTP. Run as many as you like:
 * each timer and each check is claimed by exactly one of them.
 */
async function main(): Promise<void> {
  const started = await bootstrapPlatform({ roles: ['scheduler'] });
  logStartup(started, ['scheduler']);
}

void main();
