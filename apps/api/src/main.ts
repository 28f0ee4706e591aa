import 'reflect-metadata';

import { bootstrapPlatform, logStartup } from '@observe/runtime';

/** The HTTP API alone; projections and workers run in their own apps. */
async function main(): Promise<void> {
  const started = await bootstrapPlatform({ roles: ['api'] });
  logStartup(started, ['api']);
}

void main();
