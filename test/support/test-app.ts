import { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';

import { TokenService } from '@observe/access';
import { CommandContexts } from '@observe/commands';
import { Environment, loadEnvironment } from '@observe/config';
import { Clock } from '@observe/core';
import { PinoLogger } from '@observe/observability';
import { ALL_ROLES, bootstrapPlatform, Role } from '@observe/runtime';

import { createTestDatabase } from './test-database';

export interface TestApp {
  app: INestApplicationContext;
  url: string;
  databaseUrl: string;
  /** A full (operator) token. */
  fullToken: string;
  /** Log lines written so far, when `captureLogs` was set. */
  logs: string[];
  http(): ReturnType<typeof request>;
  mintToken(scopes: string[], dailyMutationLimit?: number, name?: string): Promise<MintedToken>;
  close(): Promise<void>;
}

export interface MintedToken {
  token: string;
  id: string;
}

export interface TestAppOptions {
  label: string;
  roles?: Role[];
  environment?: Record<string, string>;
  clock?: Clock;
  /** Reuse a database (a second API process on the same data). */
  databaseUrl?: string;
  /** Keep every log line (debug level) in `logs` for assertions. */
  captureLogs?: boolean;
}

/**
 * The real platform on a fresh database of the suite's PostgreSQL, listening
 * on a free port. Log output is silenced unless TEST_LOGS is set.
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(options.label));
  const environment: Environment = loadEnvironment({
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
  const started = await bootstrapPlatform({
    roles: options.roles ?? ALL_ROLES,
    environment,
    clock: options.clock,
    logger,
  });
  if (!started.url) throw new Error('the test app needs the api role');
  const url = started.url;
  const tokens = started.app.get(TokenService);

  const mint = (kind: 'full' | 'scoped', scopes: string[], limit: number | null, name: string) =>
    CommandContexts.run(CommandContexts.system('test-setup'), () =>
      tokens.mint({ name, kind, scopes, dailyMutationLimit: limit, expiresAt: null }),
    );
  const full = await mint('full', [], null, 'test-operator');

  return {
    app: started.app,
    url,
    databaseUrl,
    fullToken: full.token,
    logs,
    http: () => request(url),
    mintToken: async (scopes, dailyMutationLimit = 1_000, name = 'test-agent') => {
      const minted = await mint('scoped', scopes, dailyMutationLimit, name);
      return { token: minted.token, id: minted.id };
    },
    close: () => started.app.close(),
  };
}

/**
 * A second platform process without HTTP (a scheduler, a projector) on an
 * existing test database, for tests that run several processes side by side.
 */
export async function startTestProcess(options: {
  databaseUrl: string;
  roles: Role[];
  clock?: Clock;
  environment?: Record<string, string>;
}): Promise<INestApplicationContext> {
  const environment: Environment = loadEnvironment({
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    BOOTSTRAP_TOKEN: 'off',
    LOG_LEVEL: process.env.TEST_LOGS ? 'debug' : 'silent',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    ...options.environment,
  });
  const started = await bootstrapPlatform({
    roles: options.roles.filter((role) => role !== 'api'),
    environment,
    clock: options.clock,
    logger: new PinoLogger(environment.LOG_LEVEL),
  });
  return started.app;
}
