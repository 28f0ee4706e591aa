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

import { DetectionQueries } from './detections-read/detection-queries';
import { DetectionsController } from './detections-read/detections.controller';
import { DetectionsProjection } from './detections-read/detections.projection';
import {
  DEFAULT_DETECTION_SETTINGS,
  DETECTION_SETTINGS,
  DetectionSettings,
} from './detections.settings';
import { DetectionWorker } from './evaluation/detection-worker';
import { RuleCatalogProjection } from './rules/catalog/rule-catalog.projection';
import { RuleCatalogQueries } from './rules/catalog/rule-catalog.queries';
import { RuleHistory } from './rules/catalog/rule-history';
import { DisableRuleHandler } from './rules/disable-rule/disable-rule.handler';
import { RulesController } from './rules/http/rules.controller';
import { PublishRuleHandler } from './rules/publish-rule/publish-rule.handler';
import { ReviseRuleHandler } from './rules/revise-rule/revise-rule.handler';
import { SecurityEventIngestion } from './security-events/security-event-ingestion';
import { SecurityEventsController } from './security-events/security-events.controller';
import { securityEventsSchema } from './security-events/security-events.schema';

export interface DetectionsModuleOptions {
  /** Run the detection worker (evaluating ingested security events) in this process. */
  detector: boolean;
  settings?: Partial<DetectionSettings>;
}

const DETECTIONS_OPTIONS = Symbol('DETECTIONS_OPTIONS');

/**
 * The SIEM: the detection catalog (Sigma rules, published, revised and
 * disabled as events), security event ingestion, and the detector that turns
 * matches into DetectionTriggered and security incidents. Needs IncidentsModule.
 */
@Module({})
export class DetectionsModule
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(DetectionsModule.name);
  private task?: PeriodicTask;

  constructor(
    runner: ProjectionRunner,
    @Inject(DETECTIONS_OPTIONS) private readonly options: DetectionsModuleOptions,
    @Inject(DETECTION_SETTINGS) private readonly settings: DetectionSettings,
    private readonly dataSource: DataSource,
    private readonly worker: DetectionWorker,
  ) {
    runner.register(new RuleCatalogProjection());
    runner.register(new DetectionsProjection());
  }

  static forRoot(options: DetectionsModuleOptions): DynamicModule {
    const settings: DetectionSettings = { ...DEFAULT_DETECTION_SETTINGS, ...options.settings };
    return {
      module: DetectionsModule,
      controllers: [RulesController, SecurityEventsController, DetectionsController],
      providers: [
        { provide: DETECTIONS_OPTIONS, useValue: options },
        { provide: DETECTION_SETTINGS, useValue: settings },
        RuleHistory,
        RuleCatalogQueries,
        PublishRuleHandler,
        ReviseRuleHandler,
        DisableRuleHandler,
        SecurityEventIngestion,
        DetectionQueries,
        DetectionWorker,
      ],
      exports: [RuleCatalogQueries, DetectionQueries, DetectionWorker],
    };
  }

  async onModuleInit(): Promise<void> {
    await installSchema(this.dataSource, securityEventsSchema);
  }

  onApplicationBootstrap(): void {
    if (!this.options.detector) return;

    this.task = new PeriodicTask(
      this.settings.detectorIntervalMs,
      () => this.worker.drain(),
      (error) =>
        this.logger.warn({ msg: 'detector batch failed; retrying on the next tick', err: error }),
    ).start();
    this.logger.log({ msg: 'detector started', intervalMs: this.settings.detectorIntervalMs });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }
}
