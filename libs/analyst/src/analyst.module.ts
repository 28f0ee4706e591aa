import {
  DynamicModule,
  Inject,
  Module,
  ModuleMetadata,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
  Provider,
  Type,
} from '@nestjs/common';

import { ProjectionRunner } from '@observe/projections';

import { AnalysisContextBuilder } from './gather-context/analysis-context.builder';
import { IncidentAnalyst } from './incident-analyst';
import { AnalysisController } from './read-analysis/analysis.controller';
import { AnalysisReader } from './read-analysis/analysis.reader';
import { IncidentAnalysesProjection } from './read-analysis/incident-analyses.projection';
import { RuleBasedAnalyst } from './rule-based/rule-based-analyst';
import { AnalystWorker } from './worker/analyst-worker';

export interface AnalystModuleOptions {
  /** Run the worker that writes verdicts in this process (the `analyst` role). */
  worker: boolean;
  /** A model-backed analyst instead of the rule-based one; a provider of `imports` or global. */
  analyst?: Type<IncidentAnalyst>;
  imports?: ModuleMetadata['imports'];
}

const ANALYST_OPTIONS = Symbol('ANALYST_OPTIONS');

/**
 * The analyst: its verdicts' read model and `GET …/analysis` in every
 * process, and the worker where the role says so. Needs IncidentsModule and
 * ContextGraphModule.
 */
@Module({})
export class AnalystModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    runner: ProjectionRunner,
    @Inject(ANALYST_OPTIONS) private readonly options: AnalystModuleOptions,
    private readonly worker: AnalystWorker,
  ) {
    runner.register(new IncidentAnalysesProjection());
  }

  static forRoot(options: AnalystModuleOptions): DynamicModule {
    const analyst: Provider = options.analyst
      ? { provide: IncidentAnalyst, useExisting: options.analyst }
      : { provide: IncidentAnalyst, useClass: RuleBasedAnalyst };
    return {
      module: AnalystModule,
      imports: options.imports ?? [],
      controllers: [AnalysisController],
      providers: [
        { provide: ANALYST_OPTIONS, useValue: options },
        analyst,
        AnalysisContextBuilder,
        AnalysisReader,
        AnalystWorker,
      ],
      exports: [AnalysisReader, IncidentAnalyst, AnalystWorker],
    };
  }

  onApplicationBootstrap(): void {
    if (this.options.worker) this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.options.worker) await this.worker.stop();
  }
}
