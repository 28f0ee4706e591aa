import { randomUUID } from 'node:crypto';

import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';

import { RequestContexts } from '@observe/observability';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every response carries `X-Request-Id`; a caller's own id is kept when it is
 * safe to log. The correlation id follows the request into events and Kafka.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const incoming = request.header('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const correlation = request.header('x-correlation-id');
    const correlationId = correlation && SAFE_ID.test(correlation) ? correlation : requestId;

    response.setHeader('X-Request-Id', requestId);
    RequestContexts.run({ requestId, correlationId }, () => next());
  }
}
