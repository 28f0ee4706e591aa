import 'reflect-metadata';

import { DemoSeeder } from '@observe/incidents';
import { ALL_ROLES, bootstrapPlatform, logStartup } from '@observe/runtime';

/** `npm start`: every role in one process, on embedded PostgreSQL by default. */
async function main(): Promise<void> {
  const started = await bootstrapPlatform({ roles: ALL_ROLES });
  logStartup(started, ALL_ROLES);
  if (process.argv.includes('--demo')) await started.app.get(DemoSeeder).seed();
}

void main();
