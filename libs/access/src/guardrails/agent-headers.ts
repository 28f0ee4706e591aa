import { SAFE_ID, SAFE_ID_RULE, ValidationError } from '@observe/core';

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
    ...check('X-Agent-Id', agentId, SAFE_ID, SAFE_ID_RULE),
    ...check('X-Conversation-Id', conversationId, SAFE_ID, SAFE_ID_RULE),
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
