import {
  DynamicModule,
  Inject,
  Module,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import { installSchema } from '@observe/database';
import { ProjectionRunner } from '@observe/projections';

import { escalationsCapability } from './escalations/escalations.capability';
import {
  maintenanceCapability,
  MaintenanceSuppressionPolicy,
} from './maintenance/maintenance.capability';
import { monitorsCapability } from './monitors/monitors.capability';
import { onCallCapability } from './on-call/on-call.capability';
import { ScheduleOnCallLookup } from './on-call/who-is-on-call/schedule-on-call.lookup';
import { WhoIsOnCall } from './on-call/who-is-on-call/who-is-on-call';
import { OperationsScheduler } from './operations-scheduler';
import { operationsWorkerSchema } from './shared/operations.schema';

export interface OperationsModuleOptions {
  /** Run the scheduler's workers (escalation timers, monitor checks) in this process. */
  scheduler: boolean;
  /** How often the scheduler looks for due work; 1 s unless a test wants it faster. */
  tickMs?: number;
}

const OPERATIONS_OPTIONS = Symbol('OPERATIONS_OPTIONS');

const CAPABILITIES = [
  maintenanceCapability,
  monitorsCapability,
  onCallCapability,
  escalationsCapability,
];

/**
 * Maintenance windows, monitors, on-call schedules and escalation policies.
 * Global, so the incidents module can use `MaintenanceSuppressionPolicy` and
 * the context graph `ScheduleOnCallLookup` (`useExisting`). Needs the
 * incidents and context-graph modules.
 */
@Module({})
export class OperationsModule
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(
    runner: ProjectionRunner,
    private readonly dataSource: DataSource,
    private readonly scheduler: OperationsScheduler,
    @Inject(OPERATIONS_OPTIONS) private readonly options: OperationsModuleOptions,
  ) {
    for (const projection of CAPABILITIES.flatMap((each) => each.projections)) {
      runner.register(projection);
    }
  }

  static forRoot(options: OperationsModuleOptions): DynamicModule {
    return {
      module: OperationsModule,
      global: true,
      controllers: CAPABILITIES.flatMap((each) => each.controllers),
      providers: [
        { provide: OPERATIONS_OPTIONS, useValue: options },
        ...CAPABILITIES.flatMap((each) => each.providers),
        OperationsScheduler,
      ],
      exports: [
        MaintenanceSuppressionPolicy,
        ScheduleOnCallLookup,
        WhoIsOnCall,
        OperationsScheduler,
      ],
    };
  }

  /** Tables the workers and requests query exist before any of them runs. */
  async onModuleInit(): Promise<void> {
    const schemas = [operationsWorkerSchema, ...CAPABILITIES.flatMap((each) => each.schemas)];
    for (const schema of schemas) await installSchema(this.dataSource, schema);
  }

  onApplicationBootstrap(): void {
    if (this.options.scheduler) this.scheduler.start({ tickMs: this.options.tickMs ?? 1_000 });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}
