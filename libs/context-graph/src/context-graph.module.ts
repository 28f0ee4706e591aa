import { DynamicModule, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';

import { ProjectionRunner } from '@observe/projections';

import { BlastRadiusController } from './blast-radius/blast-radius.controller';
import { BlastRadiusQuery } from './blast-radius/blast-radius.query';
import { NoOnCallLookup, OnCallLookup } from './blast-radius/on-call-lookup';
import { ContextGraphReader } from './explore-graph/context-graph.reader';
import { ExploreGraphController } from './explore-graph/explore-graph.controller';
import { ServiceDirectory } from './explore-graph/service-directory';
import { ContextGraphProjection } from './graph/context-graph.projection';
import { ContextGraphCommands } from './register-topology/context-graph-commands';
import { TopologyController } from './register-topology/topology.controller';

export interface ContextGraphModuleOptions {
  /**
   * Who is on call, from the operations module. The class must be a provider
   * of `imports` or of a global module; without it the graph knows owners only.
   */
  onCallLookup?: Type<OnCallLookup>;
  imports?: ModuleMetadata['imports'];
}

/**
 * The context graph: teams, services, dependencies and deployments (write
 * side), the graph projection, its reads and the blast radius. Global, so
 * incidents, the analyst and operations inject its services directly.
 */
@Module({})
export class ContextGraphModule {
  constructor(runner: ProjectionRunner) {
    runner.register(new ContextGraphProjection());
  }

  static forRoot(options: ContextGraphModuleOptions = {}): DynamicModule {
    const onCall: Provider = options.onCallLookup
      ? { provide: OnCallLookup, useExisting: options.onCallLookup }
      : { provide: OnCallLookup, useClass: NoOnCallLookup };
    return {
      module: ContextGraphModule,
      global: true,
      imports: options.imports ?? [],
      controllers: [TopologyController, ExploreGraphController, BlastRadiusController],
      providers: [
        ContextGraphCommands,
        ContextGraphReader,
        ServiceDirectory,
        BlastRadiusQuery,
        onCall,
      ],
      exports: [
        ContextGraphCommands,
        ContextGraphReader,
        ServiceDirectory,
        BlastRadiusQuery,
        OnCallLookup,
      ],
    };
  }
}
