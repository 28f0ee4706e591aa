import {
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ENVIRONMENT, Environment } from '@observe/config';
import { EventStore } from '@observe/event-store';

import { ProjectionRunner } from './projection-runner';

const RUN_PROJECTIONS = Symbol('RUN_PROJECTIONS');

/**
 * Feature modules register their projections in their constructor or
 * `onModuleInit`; the runner installs and (when `run`) starts them once the
 * application has bootstrapped.
 */
@Global()
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {}

  static forRoot(options: { run: boolean }): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: RUN_PROJECTIONS, useValue: options.run },
        {
          provide: ProjectionRunner,
          inject: [EventStore, DataSource, ENVIRONMENT, RUN_PROJECTIONS],
          useFactory: (store: EventStore, dataSource: DataSource, env: Environment, run: boolean) =>
            new ProjectionRunner(store, dataSource, {
              run,
              maxRetries: env.PROJECTION_MAX_RETRIES,
            }),
        },
      ],
      exports: [ProjectionRunner],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
