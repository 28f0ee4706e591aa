import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';

import { RequestContexts } from './request-context';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Nest's own start-up chatter: useful when debugging, noise otherwise. */
const FRAMEWORK_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
]);

/**
 * Nest's logger interface over pino: JSON lines with the class as `context`
 * and the request and correlation ids of the call in progress. Pass objects
 * (`{ msg, incidentId, err }`) to log structured fields.
 */
export class PinoLogger implements LoggerService {
  readonly pino: Pino;

  constructor(level: string = 'info', destination?: pino.DestinationStream) {
    this.pino = pino(
      {
        level,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        serializers: { err: pino.stdSerializers.err },
        mixin: () => {
          const context = RequestContexts.current();
          return context
            ? { requestId: context.requestId, correlationId: context.correlationId }
            : {};
        },
      },
      destination,
    );
  }

  log(message: unknown, ...optional: unknown[]): void {
    this.write('info', message, optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('trace', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', message, optional);
  }

  private write(requested: Level, message: unknown, optional: unknown[]): void {
    // Nest passes the context last; an error stack may come before it.
    const params = [...optional];
    const context = typeof params[params.length - 1] === 'string' ? params.pop() : undefined;
    const level =
      requested === 'info' && typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)
        ? 'debug'
        : requested;
    if (!this.pino.isLevelEnabled(level)) return;

    const stack = typeof params[0] === 'string' ? params[0] : undefined;

    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
      return;
    }
    if (message !== null && typeof message === 'object') {
      const { msg, ...fields } = message as Record<string, unknown>;
      this.pino[level]({ context, ...fields, ...(stack ? { stack } : {}) }, String(msg ?? ''));
      return;
    }
    this.pino[level]({ context, ...(stack ? { stack } : {}) }, String(message));
  }
}
