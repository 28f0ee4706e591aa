import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';

import { HealthController, HealthRegistry } from './health';
import { ProblemDetailsFilter } from './problem-details.filter';
import { RequestIdMiddleware } from './request-id.middleware';
import { createValidationPipe } from './validation.pipe';

/** Cross-cutting HTTP behaviour: request ids, problem+json, validation, health. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [
    HealthRegistry,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [HealthRegistry],
})
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*');
  }
}
