import { DynamicModule, Module, Type } from '@nestjs/common';

import { AccessModule } from '@observe/access';
import { AgentToolsModule } from '@observe/agent-tools';
import { AiAgentsModule, aiAgentSettingsFrom } from '@observe/ai-agents';
import { AnalystModule } from '@observe/analyst';
import { CommandsModule } from '@observe/commands';
import { ConfigModule, Environment } from '@observe/config';
import { ContextGraphModule } from '@observe/context-graph';
import { Clock } from '@observe/core';
import { DatabaseModule } from '@observe/database';
import { DetectionsModule, detectionSettingsFrom } from '@observe/detections';
import { EventStoreModule } from '@observe/event-store';
import { HttpModule } from '@observe/http';
import { IncidentsModule } from '@observe/incidents';
import { MessagingModule } from '@observe/messaging';
import {
  MaintenanceSuppressionPolicy,
  OperationsModule,
  ScheduleOnCallLookup,
} from '@observe/operations';
import { ProjectionsModule } from '@observe/projections';
import { webhookModules } from '@observe/subscriptions';

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
        ContextGraphModule.forRoot({ onCallLookup: ScheduleOnCallLookup }),
        IncidentsModule.forRoot({ alertSuppressionPolicy: MaintenanceSuppressionPolicy }),
        OperationsModule.forRoot({ scheduler: roles.has('scheduler') }),
        AnalystModule.forRoot({ worker: roles.has('analyst') }),
        DetectionsModule.forRoot({
          detector: roles.has('detector'),
          settings: detectionSettingsFrom(options.environment),
        }),
        AiAgentsModule.forRoot({
          workers: roles.has('scheduler'),
          settings: aiAgentSettingsFrom(options.environment),
        }),
        AgentToolsModule.forRoot({ allowedOrigins: options.environment.MCP_ALLOWED_ORIGINS }),
        ...webhookModules(
          roles,
          options.environment.KAFKA_BROKERS.length > 0 ? 'kafka' : 'in-process',
        ),
        ...(options.extraModules ?? []),
      ],
      providers: [Readiness],
    };
  }
}
