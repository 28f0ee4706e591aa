import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Body, Controller, HttpCode, Module, OnModuleInit, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { TokenService } from '@observe/access';
import { CommandContexts } from '@observe/commands';
import { loadEnvironment } from '@observe/config';
import { PublicRoute } from '@observe/http';
import { PinoLogger } from '@observe/observability';
import { ALL_ROLES, bootstrapPlatform } from '@observe/runtime';

/** The baseline: a route on the same server that does one INSERT and nothing else. */
@Controller('bench')
class BareController {
  constructor(private readonly dataSource: DataSource) {}

  @Post('bare')
  @PublicRoute()
  @HttpCode(201)
  async bare(@Body() body: Record<string, unknown>) {
    const id = randomUUID();
    await this.dataSource.query(`INSERT INTO bench.bare (id, body) VALUES ($1, $2)`, [
      id,
      JSON.stringify(body),
    ]);
    return { id };
  }
}

@Module({ controllers: [BareController] })
class BareModule implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.dataSource.query(`CREATE SCHEMA IF NOT EXISTS bench`);
    await this.dataSource.query(
      `CREATE TABLE IF NOT EXISTS bench.bare (id uuid PRIMARY KEY, body jsonb NOT NULL)`,
    );
  }
}

/** Boots the platform plus the bare route; prints `{ url, token }` as one JSON line. */
async function main(): Promise<void> {
  const environment = loadEnvironment({ ...process.env, PORT: '0', BOOTSTRAP_TOKEN: 'off' });
  const started = await bootstrapPlatform({
    roles: ALL_ROLES,
    environment,
    logger: new PinoLogger('error'),
    extraModules: [BareModule],
  });
  const tokens = started.app.get(TokenService);
  const full = await CommandContexts.run(CommandContexts.system('bench'), () =>
    tokens.mint({
      name: 'bench',
      kind: 'full',
      scopes: [],
      dailyMutationLimit: null,
      expiresAt: null,
    }),
  );
  process.stdout.write(`${JSON.stringify({ url: started.url, token: full.token })}\n`);
}

void main();
