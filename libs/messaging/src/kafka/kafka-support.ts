import { Logger } from '@nestjs/common';
import { IHeaders, KafkaMessage, logCreator, logLevel, Message } from 'kafkajs';

import { CORRELATION_ID_HEADER, IncomingMessage, OutgoingMessage } from '../message-bus.port';

// Warnings about choices this adapter made on purpose (see KafkaMessageBus.send).
const EXPECTED = [/Limiting retries for the idempotent producer/];

/**
 * Routes kafkajs's own log lines into Nest's logger. kafkajs reports every
 * failed connection as an error, though it retries them: those are warnings
 * for us, and its routine lifecycle lines are debug.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...extra } = log;
      // Nest stamps the time and the context itself.
      const fields = Object.entries(extra).filter(
        ([name]) => name !== 'timestamp' && name !== 'logger',
      );
      const line = { msg: `kafkajs: ${message}`, namespace, ...Object.fromEntries(fields) };
      if (EXPECTED.some((pattern) => pattern.test(message))) logger.debug(line);
      else if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(line);
      else if (level === logLevel.INFO) logger.debug(line);
      else logger.verbose(line);
    };
}

/**
 * True when the failure is the broker being away or busy (worth another try),
 * false when it refused the request for good (a message too large, a bad topic).
 */
export function isTransientKafkaError(error: unknown): boolean {
  let current: unknown = error;
  // kafkajs wraps the last failure of a retried operation; judge that failure.
  while (
    current instanceof Error &&
    current.name === 'KafkaJSNumberOfRetriesExceeded' &&
    current.cause
  ) {
    current = current.cause;
  }
  if (!(current instanceof Error)) return false;
  if (/ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH/.test(current.message)) return true;

  const retriable: unknown = Reflect.get(current, 'retriable');
  return retriable === true;
}

export function toKafkaMessage(message: OutgoingMessage): Message {
  return { key: message.key, value: message.value, headers: message.headers };
}

function headerText(value: IHeaders[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

export function fromKafkaMessage(
  topic: string,
  partition: number,
  message: KafkaMessage,
): Omit<IncomingMessage, 'attempt'> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }

  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: message.value ?? Buffer.alloc(0),
    headers,
    correlationId: headers[CORRELATION_ID_HEADER],
    timestamp: new Date(Number(message.timestamp)),
  };
}

export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
