import { INestApplicationContext } from '@nestjs/common';

import { loadEnvironment } from '@observe/config';
import { PinoLogger } from '@observe/observability';
import { bootstrapPlatform, Role } from '@observe/runtime';

/**
 * The platform's modules without HTTP, for one operator command. Logs go to
 * stderr at warn so stdout stays the command's output (NDJSON, tokens).
 */
export async function withPlatform<T>(
  roles: Role[],
  work: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const environment = loadEnvironment({ ...process.env, BOOTSTRAP_TOKEN: 'off' });
  const logger = new PinoLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
  const { app } = await bootstrapPlatform({ roles, environment, logger });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
