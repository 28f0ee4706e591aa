import {
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PeriodicTask } from '@observe/core';
import { installSchema } from '@observe/database';
import { ProjectionRunner } from '@observe/projections';

import { AgentActivityProjection } from './activity/agent-activity.projection';
import {
  AI_AGENT_SETTINGS,
  AiAgentSettings,
  DEFAULT_AI_AGENT_SETTINGS,
} from './ai-agents.settings';
import { OpenAgentCaseHandler } from './open-case/open-agent-case.handler';
import { OpenCaseController } from './open-case/open-case.controller';
import { AgentOverviews } from './overview/agent-overview';
import { AgentUsageReader } from './overview/agent-usage.reader';
import { OverviewController } from './overview/overview.controller';
import { SpendWatch } from './spend-spikes/spend-watch';
import { DEFAULT_PRICES } from './telemetry/price-table';
import { TelemetryController } from './telemetry/telemetry.controller';
import { TelemetryIngestion } from './telemetry/telemetry-ingestion';
import { telemetrySchema } from './telemetry/telemetry.schema';

export interface AiAgentsModuleOptions {
  /** Run the spend watch (spike flagging) in this process. */
  workers: boolean;
  settings?: Partial<AiAgentSettings>;
}

const AI_AGENTS_OPTIONS = Symbol('AI_AGENTS_OPTIONS');

/**
 * AI-agent oversight: GenAI telemetry (OTLP/JSON), the per-agent overview with
 * API mutations and denials, the spend watch (AgentSpendSpiked) and cases.
 * Needs IncidentsModule.
 */
@Module({})
export class AiAgentsModule
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(AiAgentsModule.name);
  private task?: PeriodicTask;

  constructor(
    runner: ProjectionRunner,
    @Inject(AI_AGENTS_OPTIONS) private readonly options: AiAgentsModuleOptions,
    @Inject(AI_AGENT_SETTINGS) private readonly settings: AiAgentSettings,
    private readonly dataSource: DataSource,
    private readonly spendWatch: SpendWatch,
  ) {
    runner.register(new AgentActivityProjection());
  }

  static forRoot(options: AiAgentsModuleOptions): DynamicModule {
    const settings: AiAgentSettings = {
      ...DEFAULT_AI_AGENT_SETTINGS,
      prices: DEFAULT_PRICES,
      ...options.settings,
    };
    return {
      module: AiAgentsModule,
      controllers: [TelemetryController, OverviewController, OpenCaseController],
      providers: [
        { provide: AI_AGENTS_OPTIONS, useValue: options },
        { provide: AI_AGENT_SETTINGS, useValue: settings },
        TelemetryIngestion,
        AgentUsageReader,
        AgentOverviews,
        SpendWatch,
        OpenAgentCaseHandler,
      ],
      exports: [AgentOverviews, SpendWatch],
    };
  }

  async onModuleInit(): Promise<void> {
    await installSchema(this.dataSource, telemetrySchema);
  }

  onApplicationBootstrap(): void {
    if (!this.options.workers) return;

    this.task = new PeriodicTask(
      this.settings.spikeCheckIntervalMs,
      () => this.spendWatch.check(),
      (error) =>
        this.logger.warn({ msg: 'spend watch failed; retrying on the next tick', err: error }),
    ).start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }
}
