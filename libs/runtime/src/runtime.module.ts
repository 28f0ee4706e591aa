import { DynamicModule, Module, Type } from '@nestjs/common';

import { AccessModule } from '@observe/access';
import { AgentToolsModule } from '@observe/agent-tools';
import { CommandsModule } from '@observe/commands';
import { ConfigModule, Environment } from '@observe/config';
import { Clock } from '@observe/core';
import { DatabaseModule } from '@observe/database';
import { EventStoreModule } from '@observe/event-store';
import { HttpModule } from '@observe/http';
import { MessagingModule } from '@observe/messaging';
import { ProjectionsModule } from '@observe/projections';

import { Readiness } from './readiness';
import { Role } from './roles';

export interface RuntimeOptions {
  environment: Environment;
  roles: ReadonlySet<Role>;
  clock?: Clock;
  extraModules?: Array<Type<unknown> | DynamicModule>;
}

/** Composes the platform's modules for the roles this process plays. */
@Module({})
export class RuntimeModule {
  static forRoot(options: RuntimeOptions): DynamicModule {
    const { roles } = options;
    const workers = roles.has('scheduler') || roles.has('projector');
    return {
      module: RuntimeModule,
      imports: [
        ConfigModule.forRoot(options.environment),
        DatabaseModule,
        EventStoreModule,
        CommandsModule.forRoot(options.clock),
        ProjectionsModule.forRoot({ run: roles.has('projector') }),
        HttpModule,
        MessagingModule.forRoot(),
        AccessModule.forRoot({ workers }),
        AgentToolsModule.forRoot({ allowedOrigins: options.environment.MCP_ALLOWED_ORIGINS }),
        ...(options.extraModules ?? []),
      ],
      providers: [Readiness],
    };
  }
}
