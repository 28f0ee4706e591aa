import { STATUS_CODES } from 'node:http';

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Request, Response } from 'express';

import { DomainError, FieldError } from '@observe/core';
import { RequestContexts } from '@observe/observability';

import { PreparedResponse } from './prepared-response';
import { PROBLEM_TYPES, problemTypeUri } from './problem-types';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Detail fields that steer headers, not the body. */
const HEADER_DETAILS = new Set(['retryAfterSeconds', 'headers']);

/**
 * Every error leaves as RFC 9457 problem+json. Domain errors carry a code;
 * this is the one place that turns codes into statuses and problem types.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (exception instanceof PreparedResponse) {
      for (const [name, value] of Object.entries(exception.headers))
        response.setHeader(name, value);
      response.status(exception.status).json(exception.body);
      return;
    }
    const problem = this.toProblem(exception);

    problem.instance = request.originalUrl?.split('?')[0];
    problem.requestId = RequestContexts.current()?.requestId;
    if (exception instanceof DomainError) this.applyHeaders(exception, response);
    if (problem.status >= 500) {
      this.logger.error({ msg: 'request failed', path: problem.instance, err: exception });
    }

    if (response.headersSent) return;
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) return this.fromDomainError(exception);
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    if (isBodyParserError(exception)) return this.fromBodyParserError(exception);
    if (isUnstorableText(exception)) {
      return {
        type: problemTypeUri('validation-error'),
        title: PROBLEM_TYPES.validation.title,
        status: 400,
        detail:
          'The body holds text PostgreSQL cannot store (a NUL character); nothing was written.',
      };
    }

    return {
      type: problemTypeUri('internal-error'),
      title: 'Internal error',
      status: 500,
      detail: 'The server failed to handle the request; it has been logged.',
    };
  }

  private fromDomainError(error: DomainError): ProblemDetails {
    const kind = PROBLEM_TYPES[error.code];
    const extensions = Object.fromEntries(
      Object.entries(error.details).filter(([key]) => !HEADER_DETAILS.has(key)),
    );
    return {
      ...extensions,
      type: problemTypeUri(kind.slug),
      title: kind.title,
      status: kind.status,
      detail: error.message,
      ...(error.fieldErrors.length > 0 ? { errors: error.fieldErrors } : {}),
    };
  }

  private fromHttpException(exception: HttpException): ProblemDetails {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? (body as { message: unknown }).message
        : exception.message;
    const detail = Array.isArray(message) ? message.join('; ') : String(message);
    // Nest turns body-parser's SyntaxError into a plain 400 with the parser's message.
    if (status === 400 && /JSON/.test(detail)) {
      return this.fromBodyParserError({ type: 'entity.parse.failed' });
    }
    const slug =
      status === 404 ? 'not-found' : status === 400 ? 'validation-error' : `http-${status}`;
    return { type: problemTypeUri(slug), title: STATUS_CODES[status] ?? 'Error', status, detail };
  }

  private fromBodyParserError(error: BodyParserError): ProblemDetails {
    const tooLarge = error.type === 'entity.too.large';
    return {
      type: problemTypeUri(tooLarge ? 'payload-too-large' : 'malformed-json'),
      title: tooLarge ? 'The request body is too large' : 'The request body is not valid JSON',
      status: 400,
      detail: tooLarge
        ? `The body exceeds the limit of ${error.limit ?? 'the server'} bytes; nothing was written.`
        : 'The body could not be parsed as JSON; nothing was written.',
    };
  }

  private applyHeaders(error: DomainError, response: Response): void {
    const retryAfter = error.details.retryAfterSeconds;
    if (typeof retryAfter === 'number')
      response.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    if (error.code === 'unauthenticated') {
      response.setHeader('WWW-Authenticate', 'Bearer realm="24observe"');
    }
    const headers = error.details.headers;
    if (headers && typeof headers === 'object') {
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, String(value));
    }
  }
}

/** PostgreSQL refuses \u0000 in text and JSON (22P05, 22021): the input is at fault. */
function isUnstorableText(error: unknown): boolean {
  const code =
    (error as { code?: unknown })?.code ??
    (error as { driverError?: { code?: unknown } })?.driverError?.code;
  return code === '22P05' || code === '22021';
}

interface BodyParserError {
  type: string;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const type = (error as { type?: unknown })?.type;
  return (
    typeof type === 'string' && (type === 'entity.too.large' || type === 'entity.parse.failed')
  );
}
