import 'reflect-metadata';

import { bootstrapPlatform, logStartup } from '@observe/runtime';

/** Builds the read models, and runs the scheduled access tasks. */
async function main(): Promise<void> {
  const started = await bootstrapPlatform({ roles: ['projector', 'scheduler'] });
  logStartup(started, ['projector', 'scheduler']);
}

void main();
