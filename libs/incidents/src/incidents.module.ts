import { DynamicModule, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';

import { ProjectionRunner } from '@observe/projections';

import { DemoSeeder } from './demo/demo-seeder';
import { AlertDeduplication } from './ingest-alert/alert-deduplication';
import { AlertIngestion } from './ingest-alert/alert-ingestion';
import {
  AlertSuppressionPolicy,
  NeverSuppressAlerts,
} from './ingest-alert/alert-suppression.policy';
import { AlertsController } from './ingest-alert/alerts.controller';
import { IncidentCommands } from './incident-commands';
import { OpenIncidentController } from './open-incident/open-incident.controller';
import { IncidentReader } from './query-incidents/incident-reader';
import { IncidentTimeline } from './query-incidents/incident-timeline';
import { IncidentsProjection } from './query-incidents/incidents.projection';
import { QueryIncidentsController } from './query-incidents/query-incidents.controller';
import { RespondToIncidentController } from './respond-to-incident/respond-to-incident.controller';

export interface IncidentsModuleOptions {
  /**
   * Consulted before an alert opens an incident (maintenance windows). The
   * class must be a provider of `imports` or of a global module; without it
   * nothing is suppressed.
   */
  alertSuppressionPolicy?: Type<AlertSuppressionPolicy>;
  imports?: ModuleMetadata['imports'];
}

/**
 * Incidents and alert ingestion: the aggregate, its commands (HTTP and
 * in-process through IncidentCommands), the read model and the timeline.
 * Global, so maintenance, monitors, detections and cases inject
 * IncidentCommands without importing this module. Needs ContextGraphModule.
 */
@Module({})
export class IncidentsModule {
  constructor(runner: ProjectionRunner) {
    runner.register(new IncidentsProjection());
  }

  static forRoot(options: IncidentsModuleOptions = {}): DynamicModule {
    const suppression: Provider = options.alertSuppressionPolicy
      ? { provide: AlertSuppressionPolicy, useExisting: options.alertSuppressionPolicy }
      : { provide: AlertSuppressionPolicy, useClass: NeverSuppressAlerts };
    return {
      module: IncidentsModule,
      global: true,
      imports: options.imports ?? [],
      controllers: [
        OpenIncidentController,
        RespondToIncidentController,
        QueryIncidentsController,
        AlertsController,
      ],
      providers: [
        suppression,
        AlertDeduplication,
        AlertIngestion,
        IncidentCommands,
        IncidentReader,
        IncidentTimeline,
        DemoSeeder,
      ],
      exports: [
        IncidentCommands,
        IncidentReader,
        IncidentTimeline,
        AlertSuppressionPolicy,
        DemoSeeder,
      ],
    };
  }
}
