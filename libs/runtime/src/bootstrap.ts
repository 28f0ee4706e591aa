import { DynamicModule, INestApplicationContext, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';

import { Environment, EnvironmentError, loadEnvironment } from '@observe/config';
import { Clock } from '@observe/core';
import { OpenApiDocumentHolder } from '@observe/agent-tools';
import { buildOpenApiDocument, serveOpenApi } from '@observe/http';
import { PinoLogger } from '@observe/observability';

import { Role } from './roles';
import { RuntimeModule } from './runtime.module';

export interface StartedPlatform {
  app: INestApplicationContext;
  url?: string;
}

export interface BootstrapOptions {
  roles: Role[];
  environment?: Environment;
  logger?: PinoLogger;
  /** Tests pass a ManualClock to move time. */
  clock?: Clock;
  /** Modules composed in beside the platform's (benchmarks' bare routes). */
  extraModules?: Array<Type<unknown> | DynamicModule>;
}

const BODY_LIMIT = '1mb';

/** Starts a process with the given roles; only the `api` role listens on HTTP. */
export async function bootstrapPlatform(options: BootstrapOptions): Promise<StartedPlatform> {
  const environment = options.environment ?? loadEnvironmentOrExit();
  const logger = options.logger ?? new PinoLogger(environment.LOG_LEVEL);
  const module = RuntimeModule.forRoot({
    environment,
    roles: new Set(options.roles),
    clock: options.clock,
    extraModules: options.extraModules,
  });

  if (!options.roles.includes('api')) {
    const app = await NestFactory.createApplicationContext(module, { logger });
    app.enableShutdownHooks();
    await app.init();
    return { app };
  }

  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  const document = buildOpenApiDocument(app);
  serveOpenApi(app, document);
  app.get(OpenApiDocumentHolder).set(document);
  await app.listen(environment.PORT, environment.HOST);

  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  return { app, url };
}

function loadEnvironmentOrExit(): Environment {
  try {
    return loadEnvironment();
  } catch (error) {
    if (error instanceof EnvironmentError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

export function logStartup(started: StartedPlatform, roles: Role[]): void {
  const logger = new Logger('Platform');
  logger.log({ msg: '24observe started', roles, url: started.url });
  if (started.url) process.stdout.write(`24observe is listening on ${started.url}\n`);
}
