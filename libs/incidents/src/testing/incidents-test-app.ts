import { DynamicModule, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';

import { TokenService } from '@observe/access';
import { CommandContexts } from '@observe/commands';
import { loadEnvironment } from '@observe/config';
import { PinoLogger } from '@observe/observability';
import { ALL_ROLES, Role, RuntimeModule } from '@observe/runtime';

import { TestApp, TestAppOptions } from '../../../../test/support/test-app';
import { createTestDatabase } from '../../../../test/support/test-database';

export type { TestApp, TestAppOptions };

/** A port replaced for a test, e.g. an AlertSuppressionPolicy or an OnCallLookup. */
export type ProviderOverride = {
  provide: abstract new (...args: never[]) => unknown;
  useClass: Type;
};

export interface IncidentsTestAppOptions extends TestAppOptions {
  overrides?: ProviderOverride[];
}

/**
 * The modules RuntimeModule does not compose yet, booted beside it. Once it
 * composes them, this returns `[]` and nothing else changes.
 */
function modulesBesideRuntime(_roles: ReadonlySet<Role>): DynamicModule[] {
  return [];
}

/**
 * The real platform on a fresh database, listening on a free port, booted
 * like `startTestApp` (test/support/test-app.ts) with these capabilities, and
 * with ports replaced where a test asks.
 */
export async function startIncidentsTestApp(options: IncidentsTestAppOptions): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(options.label));
  const environment = loadEnvironment({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    BOOTSTRAP_TOKEN: 'off',
    LOG_LEVEL: process.env.TEST_LOGS ? 'debug' : 'silent',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    ...options.environment,
  });
  const logs: string[] = [];
  const logger = options.captureLogs
    ? new PinoLogger('debug', { write: (line: string) => logs.push(line) })
    : new PinoLogger(environment.LOG_LEVEL);
  const roles = new Set(options.roles ?? ALL_ROLES);

  const builder = Test.createTestingModule({
    imports: [
      RuntimeModule.forRoot({ environment, roles, clock: options.clock }),
      ...modulesBesideRuntime(roles),
    ],
  }).setLogger(logger);
  for (const override of options.overrides ?? []) {
    builder.overrideProvider(override.provide).useClass(override.useClass);
  }
  const app = (await builder.compile()).createNestApplication<NestExpressApplication>({
    logger,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.disable('x-powered-by');
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');

  const tokens = app.get(TokenService);
  const mint = (kind: 'full' | 'scoped', scopes: string[], limit: number | null, name: string) =>
    CommandContexts.run(CommandContexts.system('test-setup'), () =>
      tokens.mint({ name, kind, scopes, dailyMutationLimit: limit, expiresAt: null }),
    );
  const full = await mint('full', [], null, 'test-operator');

  return {
    app,
    url,
    databaseUrl,
    fullToken: full.token,
    logs,
    http: () => request(url),
    mintToken: async (scopes, dailyMutationLimit = 1_000, name = 'test-agent') => {
      const minted = await mint('scoped', scopes, dailyMutationLimit, name);
      return { token: minted.token, id: minted.id };
    },
    close: () => app.close(),
  };
}
