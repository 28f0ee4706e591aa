import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CallToolResult,
  ErrorCode,
  Implementation,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';

import { ToolDefinition } from '../converter/tool-definition';
import { ToolRuntime } from '../runtime/tool-runtime';
import { ToolRuntimeError } from '../runtime/tool-runtime.error';
import { toMcpTool } from './mcp-tool';
import { runtimeErrorResult, toCallToolResult } from './mcp-tool-result';

export const MCP_SERVER_INFO: Implementation = { name: '24observe', version: '1.0.0' };

const INSTRUCTIONS =
  '24observe: incidents, context graph, operations and audit trail. Each tool is one API ' +
  'operation; the list holds what this token may call. Mutations are recorded with your agent ' +
  'and conversation ids, are idempotent per tool call, and count against the token’s daily ' +
  'mutation limit. A refused call comes back as an error result carrying the problem+json.';

/** Longer Retry-After waits are not slept through inside one tool call. */
const MAX_RETRY_DELAY_MS = 5_000;

export interface McpToolServerOptions {
  /** What `tools/list` answers: the tools this token may call. */
  listed: readonly ToolDefinition[];
  /**
   * The runtime for one call, made once the client has said who it is. Its
   * catalog holds every tool: a call to one not listed still goes to the API,
   * which refuses it with its own problem and records the denial.
   */
  runtime: (client: Implementation | undefined) => ToolRuntime;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/**
 * An MCP server whose tools are the API. The low-level `Server`, not
 * `McpServer`: the schemas come from the OpenAPI document as JSON Schema,
 * and `McpServer` wants zod schemas it would turn back into JSON Schema.
 */
export function createMcpToolServer(options: McpToolServerOptions): Server {
  const server = new Server(MCP_SERVER_INFO, {
    capabilities: { tools: { listChanged: false } },
    instructions: INSTRUCTIONS,
  });
  const tools = options.listed.map(toMcpTool);

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(
    CallToolRequestSchema,
    async (request, extra): Promise<CallToolResult> => {
      const runtime = options.runtime(server.getClientVersion());
      const call = { name: request.params.name, arguments: request.params.arguments ?? {} };
      try {
        const result = await runtime.execute(call, {
          encoding: 'plain',
          fetch: options.fetch,
          maxRetryDelayMs: MAX_RETRY_DELAY_MS,
          signal: extra.signal,
        });
        return toCallToolResult(result);
      } catch (error) {
        if (!(error instanceof ToolRuntimeError)) throw error;
        if (error.code === 'unknown_tool') {
          throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
        }
        return runtimeErrorResult(error);
      }
    },
  );
  return server;
}
