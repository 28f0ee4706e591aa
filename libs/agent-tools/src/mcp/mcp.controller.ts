import { All, Controller, Inject, Logger, Options, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Request, Response } from 'express';

import { readAgentHeaders } from '@observe/access';
import { ENVIRONMENT, Environment } from '@observe/config';
import { PublicRoute } from '@observe/http';
import { RequestContexts } from '@observe/observability';

import { ToolDefinition } from '../converter/tool-definition';
import { ToolRuntime } from '../runtime/tool-runtime';
import { Caller, CallerAuthenticator } from '../http/caller-authenticator';
import { LiveToolCatalog } from '../http/live-tool-catalog';
import { conversionOptionsFor } from '../http/tool-audience';
import { narrowTools } from '../http/tool-files';
import { newSessionId, readSessionId, resolveAgentIdentity } from './agent-identity';
import { loopbackBaseUrl } from './loopback-url';
import { protectedResourceMetadataUrl, publicBaseUrl } from './mcp-http.options';
import { createMcpToolServer } from './mcp-tool-server';
import { OriginPolicy } from './origin-policy';

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'POST, GET, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID, ' +
    'X-Agent-Id, X-Conversation-Id',
  'Access-Control-Expose-Headers': 'Mcp-Session-Id, WWW-Authenticate, X-Request-Id',
  'Access-Control-Max-Age': '600',
};

/**
 * MCP over Streamable HTTP. Stateless: every POST gets a fresh server and
 * transport with JSON answers, so any API instance can serve any request;
 * the session id carries the agent's name instead of server memory.
 *
 * Public to the global access guard on purpose: MCP needs its own 401
 * challenge and Origin check, and the guard's job is done anyway by each
 * tool call, which goes back through the API with the caller's token.
 */
@ApiExcludeController()
@PublicRoute()
@Controller('mcp')
export class McpController {
  private readonly logger = new Logger(McpController.name);

  constructor(
    private readonly catalog: LiveToolCatalog,
    private readonly callers: CallerAuthenticator,
    private readonly origins: OriginPolicy,
    @Inject(ENVIRONMENT) private readonly environment: Environment,
  ) {}

  @Post()
  async post(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!this.admitOrigin(request, response)) return;
    const caller = await this.authenticate(request);

    const all = this.catalog.all();
    const listed = narrowTools(all, conversionOptionsFor(caller, undefined)).catalog;
    const runtime = this.runtimeFor(request, caller, all.catalog);
    const server = createMcpToolServer({ listed, runtime: () => runtime });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);

    const initialize = initializeParams(request.body);
    if (initialize) {
      response.setHeader('Mcp-Session-Id', newSessionId(initialize.clientInfo.name));
      this.logger.log({
        msg: 'MCP client connected',
        tokenId: caller.tokenId,
        client: initialize.clientInfo.name,
        tools: listed.length,
        requestId: RequestContexts.current()?.requestId,
      });
    }
    await transport.handleRequest(request, response, request.body);
  }

  /** CORS preflight for browser clients on allowed origins; it carries no token. */
  @Options()
  preflight(@Req() request: Request, @Res() response: Response): void {
    if (!this.admitOrigin(request, response)) return;
    response.status(204).end();
  }

  /**
   * No server-to-client stream (GET) and no session to end (DELETE): the
   * spec lets a server answer both with 405, and clients carry on.
   */
  @All()
  async otherMethods(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!this.admitOrigin(request, response)) return;
    await this.authenticate(request);

    response.setHeader('Allow', 'POST, OPTIONS');
    response.status(405).json({
      jsonrpc: '2.0',
      error: {
        code: -32000,
        message: `Method not allowed: ${request.method}; POST JSON-RPC here.`,
      },
      id: null,
    });
  }

  private admitOrigin(request: Request, response: Response): boolean {
    const origin = request.header('origin');
    if (this.origins.allows(origin)) {
      if (origin !== undefined) {
        response.setHeader('Access-Control-Allow-Origin', origin);
        response.setHeader('Vary', 'Origin');
        for (const [name, value] of Object.entries(CORS_HEADERS)) response.setHeader(name, value);
      }
      return true;
    }

    this.logger.warn({
      msg: 'MCP request refused: origin not allowed; add it to MCP_ALLOWED_ORIGINS if trusted',
      origin,
      requestId: RequestContexts.current()?.requestId,
    });
    const problem = {
      type: '/problems/origin-not-allowed',
      title: 'This Origin may not use the MCP endpoint',
      status: 403,
      detail: `Origin ${origin} is not local and not in the MCP origin allow-list.`,
      instance: request.path,
      requestId: RequestContexts.current()?.requestId,
    };
    response.status(403).type('application/problem+json').send(JSON.stringify(problem));
    return false;
  }

  private authenticate(request: Request): Promise<Caller> {
    const metadata = protectedResourceMetadataUrl(publicBaseUrl(this.environment, request));
    return this.callers.required(
      request,
      `Bearer realm="24observe", resource_metadata="${metadata}"`,
    );
  }

  /** Acts as the caller, back through this API, under the agent identity the client gave. */
  private runtimeFor(request: Request, caller: Caller, tools: ToolDefinition[]): ToolRuntime {
    const headers = readAgentHeaders((name) => request.header(name));
    const session = readSessionId(request.header('mcp-session-id'));
    return new ToolRuntime({
      tools,
      baseUrl: loopbackBaseUrl(request),
      token: caller.secret,
      ...resolveAgentIdentity(headers, session),
    });
  }
}

interface InitializeParams {
  clientInfo: { name: string };
}

function initializeParams(body: unknown): InitializeParams | undefined {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  const initialize = messages.find(isInitializeRequest);
  return initialize?.params;
}
