import { randomUUID } from 'node:crypto';

import { SAFE_ID } from '@observe/core';

const SESSION_ID = /^([0-9a-f]{32})\.([A-Za-z0-9._:-]{1,64})$/;

/** Who acts in a tool call: recorded on every event it produces. */
export interface AgentIdentity {
  agentId: string;
  conversationId: string;
}

/** When an MCP client neither sends `X-Agent-Id` nor names itself. */
export const DEFAULT_AGENT_ID = 'mcp-client';

/**
 * An MCP client's self-chosen name ("Claude Desktop") as an agent id: the
 * characters the API accepts, others turned into `-`.
 */
export function agentIdFromClientName(name: string | undefined): string {
  const cleaned = (name ?? '')
    .replace(/[^A-Za-z0-9._:-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return cleaned.length > 0 ? cleaned : DEFAULT_AGENT_ID;
}

/**
 * A session id that carries what the HTTP server would otherwise have to
 * remember: a random part, which becomes the conversation id, and the
 * client's agent id from `initialize`. Any API instance can read it, so the
 * server stays stateless; a client forging one only renames itself, which
 * `X-Agent-Id` allows anyway.
 */
export function newSessionId(clientName: string | undefined): string {
  return `${randomUUID().replace(/-/g, '')}.${agentIdFromClientName(clientName)}`;
}

export interface McpSession {
  id: string;
  agentId: string;
}

export function readSessionId(header: string | undefined): McpSession | undefined {
  const match = header === undefined ? null : SESSION_ID.exec(header);
  return match ? { id: match[1], agentId: match[2] } : undefined;
}

/**
 * Headers the client sent win; then what its session says; a client with
 * neither gets the default agent id and a conversation of its own.
 */
export function resolveAgentIdentity(
  headers: { agentId?: string; conversationId?: string },
  session: McpSession | undefined,
): AgentIdentity {
  return {
    agentId: headers.agentId ?? session?.agentId ?? DEFAULT_AGENT_ID,
    conversationId:
      headers.conversationId ?? `mcp-${session?.id ?? randomUUID().replace(/-/g, '')}`,
  };
}

export function isAgentHeaderValue(value: string): boolean {
  return SAFE_ID.test(value);
}
