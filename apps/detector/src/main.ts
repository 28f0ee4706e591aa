import 'reflect-metadata';

import { bootstrapPlatform, logStartup } from '@observe/runtime';

/**
 * Evaluates ingested security events against the active detection rules and
 * opens security incidents; no HTTP. Several may run: one evaluates at a time.
 */
async function main(): Promise<void> {
  const started = await bootstrapPlatform({ roles: ['detector'] });
  logStartup(started, ['detector']);
}

void main();
