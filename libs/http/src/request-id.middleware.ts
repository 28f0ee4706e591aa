import { randomUUID } from 'node:crypto';

import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';

import { SAFE_ID } from '@observe/core';
import { RequestContexts } from '@observe/observability';

/**
 * Every response carries `X-Request-Id`; a caller's own id is kept when it is
 * safe to log. The correlation id follows the request into events and Kafka.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HttpRequest');

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const incoming = request.header('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const correlation = request.header('x-correlation-id');
    const correlationId = correlation && SAFE_ID.test(correlation) ? correlation : requestId;

    response.setHeader('X-Request-Id', requestId);
    RequestContexts.run({ requestId, correlationId }, () => {
      // Per-request lines are debug: a hot path stays quiet at info. Headers are
      // never logged: they carry bearer tokens.
      response.on('finish', () =>
        this.logger.debug({
          msg: 'request handled',
          method: request.method,
          path: request.path,
          status: response.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          tokenId: (request as Request & { principal?: { tokenId: string } }).principal?.tokenId,
          agentId: request.header('x-agent-id'),
        }),
      );
      next();
    });
  }
}
