import { ValidationError } from '@observe/core';

const HEADER_VALUE = /^[A-Za-z0-9._:-]{1,128}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface AgentHeaders {
  agentId?: string;
  conversationId?: string;
  idempotencyKey?: string;
}

type HeaderReader = (name: string) => string | undefined;

/** Reads and validates the guardrail headers; a bad value is a 400 naming the header. */
export function readAgentHeaders(header: HeaderReader): AgentHeaders {
  const agentId = header('x-agent-id');
  const conversationId = header('x-conversation-id');
  const idempotencyKey = header('idempotency-key');

  const errors = [
    ...check('X-Agent-Id', agentId, HEADER_VALUE, 'at most 128 of [A-Za-z0-9._:-]'),
    ...check('X-Conversation-Id', conversationId, HEADER_VALUE, 'at most 128 of [A-Za-z0-9._:-]'),
    ...check(
      'Idempotency-Key',
      idempotencyKey,
      IDEMPOTENCY_KEY,
      '1 to 255 visible ASCII characters',
    ),
  ];
  if (errors.length > 0) {
    throw new ValidationError(`invalid header ${errors[0].field}: ${errors[0].message}`, errors);
  }
  return { agentId, conversationId, idempotencyKey };
}

function check(field: string, value: string | undefined, pattern: RegExp, message: string) {
  return value === undefined || pattern.test(value) ? [] : [{ field, message }];
}
