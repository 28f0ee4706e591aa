import 'reflect-metadata';

import { bootstrapPlatform, logStartup } from '@observe/runtime';

/** Writes the analyst's verdict on every new incident; no HTTP. */
async function main(): Promise<void> {
  const started = await bootstrapPlatform({ roles: ['analyst'] });
  logStartup(started, ['analyst']);
}

void main();
