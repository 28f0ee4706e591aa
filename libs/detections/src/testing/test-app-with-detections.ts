import { DynamicModule, Type } from '@nestjs/common';
import request from 'supertest';

import { TokenService } from '@observe/access';
import { AiAgentsModule, aiAgentSettingsFrom, aiAgentsEnvironmentSchema } from '@observe/ai-agents';
import { CommandContexts } from '@observe/commands';
import { Environment, loadEnvironment } from '@observe/config';
import { ContextGraphModule } from '@observe/context-graph';
import { IncidentsModule } from '@observe/incidents';
import { PinoLogger } from '@observe/observability';
import { ALL_ROLES, bootstrapPlatform, RuntimeModule } from '@observe/runtime';

import type { TestApp, TestAppOptions } from '../../../../test/support/test-app';
import { createTestDatabase } from '../../../../test/support/test-database';
import { DetectionsModule } from '../detections.module';
import { detectionSettingsFrom, detectionsEnvironmentSchema } from '../detections.settings';

export type { MintedToken, TestApp, TestAppOptions } from '../../../../test/support/test-app';

/**
 * `startTestApp` of test/support/test-app.ts, with the modules the platform
 * does not compose yet added beside its own: context graph and incidents
 * (the incident path), detections and AI agents, every worker running. A
 * module the runtime already composes is not added twice, so once they are
 * registered in RuntimeModule, specs switch by importing startTestApp from
 * test/support/test-app instead: one line.
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(options.label));
  const raw = {
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    BOOTSTRAP_TOKEN: 'off',
    LOG_LEVEL: process.env.TEST_LOGS ? 'debug' : 'silent',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    ...options.environment,
  };
  const environment: Environment = loadEnvironment(raw);
  const logs: string[] = [];
  const logger = options.captureLogs
    ? new PinoLogger('debug', { write: (line: string) => logs.push(line) })
    : new PinoLogger(environment.LOG_LEVEL);
  const roles = options.roles ?? ALL_ROLES;

  const started = await bootstrapPlatform({
    roles,
    environment,
    clock: options.clock,
    logger,
    extraModules: missingModules(
      RuntimeModule.forRoot({ environment, roles: new Set(roles), clock: options.clock }),
      [
        ContextGraphModule.forRoot(),
        IncidentsModule.forRoot(),
        DetectionsModule.forRoot({
          detector: true,
          settings: detectionSettingsFrom(detectionsEnvironmentSchema.parse(raw)),
        }),
        AiAgentsModule.forRoot({
          workers: true,
          settings: aiAgentSettingsFrom(aiAgentsEnvironmentSchema.parse(raw)),
        }),
      ],
    ),
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

/** The candidates whose module class the runtime does not import already. */
function missingModules(runtime: DynamicModule, candidates: DynamicModule[]): DynamicModule[] {
  const present = new Set<unknown>((runtime.imports ?? []).map(moduleClass));
  return candidates.filter((candidate) => !present.has(candidate.module));
}

function moduleClass(entry: unknown): unknown {
  if (typeof entry === 'function') return entry as Type<unknown>;
  if (typeof entry === 'object' && entry !== null && 'module' in entry) {
    return (entry as DynamicModule).module;
  }
  return undefined;
}
