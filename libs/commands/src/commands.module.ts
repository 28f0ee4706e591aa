import { DynamicModule, Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { Clock, SystemClock } from '@observe/core';

import { AggregateRepository } from './aggregate-repository';

/** The command side's kernel: CQRS buses, the clock and the aggregate repository. */
@Global()
@Module({})
export class CommandsModule {
  /** Tests pass a ManualClock to move time. */
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CommandsModule,
      imports: [CqrsModule.forRoot()],
      providers: [{ provide: Clock, useValue: clock }, AggregateRepository],
      exports: [CqrsModule, Clock, AggregateRepository],
    };
  }
}
