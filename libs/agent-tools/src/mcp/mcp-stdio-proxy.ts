import { randomUUID } from 'node:crypto';

import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

import { convertOpenApiToTools } from '../converter/convert-openapi-to-tools';
import { isRecord } from '../converter/json-schema';
import { OpenApiDocument } from '../converter/openapi-document';
import { ToolDefinition } from '../converter/tool-definition';
import { ToolRuntime } from '../runtime/tool-runtime';
import { withConverterConventions } from '../http/document-conventions';
import { TOOL_FILES } from '../http/tool-files';
import { agentIdFromClientName } from './agent-identity';
import { createMcpToolServer } from './mcp-tool-server';

export interface StdioProxyOptions {
  /** The running API, e.g. `http://localhost:3000`. */
  url: string;
  /** The `obs_` token every tool call is made with. */
  token: string;
  /** Default: the MCP client's name from `initialize`. */
  agentId?: string;
  /** Default: one per proxy run. */
  conversationId?: string;
  /** Default: this process's stdin and stdout. */
  transport?: Transport;
  fetch?: typeof fetch;
}

export interface RemoteTools {
  /** What the token may call, from the API's own narrowing. */
  listed: ToolDefinition[];
  /** Every tool of the API's document. */
  all: ToolDefinition[];
}

/** A refusal or failure of the API the proxy fronts, said so a person can act. */
export class StdioProxyError extends Error {
  override readonly name = 'StdioProxyError';
}

/**
 * An MCP server on stdio in front of a running API, for clients that spawn
 * a command: tools from the API's OpenAPI document, as many as the token may
 * call, each call sent to the API with that token.
 */
export async function serveMcpOverStdio(options: StdioProxyOptions): Promise<Server> {
  const baseUrl = options.url.replace(/\/+$/, '');
  const tools = await loadRemoteTools({ ...options, url: baseUrl });
  const conversationId = options.conversationId ?? `mcp-${randomUUID().replace(/-/g, '')}`;

  const server = createMcpToolServer({
    listed: tools.listed,
    runtime: (client) =>
      new ToolRuntime({
        tools: tools.all,
        baseUrl,
        token: options.token,
        agentId: options.agentId ?? agentIdFromClientName(client?.name),
        conversationId,
      }),
    fetch: options.fetch,
  });
  await server.connect(options.transport ?? new StdioServerTransport());
  return server;
}

/**
 * The catalog from `/openapi.json`, narrowed to the names the API lists for
 * this token, so which tools a token sees is decided in one place, the API.
 */
export async function loadRemoteTools(options: StdioProxyOptions): Promise<RemoteTools> {
  const send = options.fetch ?? fetch;
  const document = await getJson(send, `${options.url}/openapi.json`);
  if (!isOpenApiDocument(document)) {
    throw new StdioProxyError(`${options.url}/openapi.json is not an OpenAPI document`);
  }
  const all = convertOpenApiToTools(withConverterConventions(document)).catalog;

  const offered = await getJson(send, `${options.url}/openapi/${TOOL_FILES.anthropic}`, {
    Authorization: `Bearer ${options.token}`,
  });
  const names = new Set(
    (Array.isArray(offered) ? offered : []).flatMap((tool) =>
      isRecord(tool) && typeof tool.name === 'string' ? [tool.name] : [],
    ),
  );
  return { listed: all.filter((tool) => names.has(tool.name)), all };
}

async function getJson(
  send: typeof fetch,
  url: string,
  headers: Record<string, string> = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await send(url, { headers: { Accept: 'application/json', ...headers } });
  } catch (error) {
    throw new StdioProxyError(`cannot reach ${url}: ${describe(error)}`);
  }

  const text = await response.text();
  if (response.status === 401) {
    throw new StdioProxyError(`the API refused the token (401): ${problemDetail(text)}`);
  }
  if (!response.ok) {
    throw new StdioProxyError(`GET ${url} answered ${response.status}: ${problemDetail(text)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new StdioProxyError(`GET ${url} did not answer JSON`);
  }
}

function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  return isRecord(value) && typeof value.openapi === 'string';
}

function problemDetail(text: string): string {
  try {
    const problem: unknown = JSON.parse(text);
    if (isRecord(problem) && typeof problem.detail === 'string') return problem.detail;
  } catch {
    // Not problem+json: the start of the text says enough.
  }
  return text.slice(0, 200);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
