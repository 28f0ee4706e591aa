import { DynamicModule, Global, Module } from '@nestjs/common';

import { Environment } from './environment.schema';
import { loadEnvironment } from './load-environment';

export const ENVIRONMENT = Symbol('ENVIRONMENT');

@Global()
@Module({})
export class ConfigModule {
  /** Pass an environment to override process.env (tests, embedded boot). */
  static forRoot(environment: Environment = loadEnvironment()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: ENVIRONMENT, useValue: environment }],
      exports: [ENVIRONMENT],
    };
  }
}
