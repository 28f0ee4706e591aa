import { DynamicModule, Module } from '@nestjs/common';

import { CallerAuthenticator } from './http/caller-authenticator';
import { LiveToolCatalog } from './http/live-tool-catalog';
import { OpenApiDocumentHolder } from './http/openapi-document.holder';
import { ToolFilesController } from './http/tool-files.controller';
import { McpController } from './mcp/mcp.controller';
import { MCP_HTTP_OPTIONS, McpHttpOptions } from './mcp/mcp-http.options';
import { OriginPolicy } from './mcp/origin-policy';
import { ProtectedResourceController } from './mcp/protected-resource.controller';

/**
 * The API for agents: the tool files under /openapi/ and the MCP server at
 * /mcp, both built from the live OpenAPI document, which bootstrap hands to
 * `OpenApiDocumentHolder` once the application exists.
 */
@Module({})
export class AgentToolsModule {
  static forRoot(options: McpHttpOptions = {}): DynamicModule {
    return {
      module: AgentToolsModule,
      controllers: [ToolFilesController, McpController, ProtectedResourceController],
      providers: [
        { provide: MCP_HTTP_OPTIONS, useValue: options },
        {
          provide: OriginPolicy,
          inject: [MCP_HTTP_OPTIONS],
          useFactory: (mcp: McpHttpOptions) => new OriginPolicy(mcp.allowedOrigins),
        },
        OpenApiDocumentHolder,
        LiveToolCatalog,
        CallerAuthenticator,
      ],
      exports: [OpenApiDocumentHolder, LiveToolCatalog],
    };
  }
}
