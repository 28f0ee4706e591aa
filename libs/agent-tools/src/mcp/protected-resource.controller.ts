import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';

import { ALL_SCOPES } from '@observe/access';
import { ENVIRONMENT, Environment } from '@observe/config';
import { PublicRoute } from '@observe/http';

import { publicBaseUrl } from './mcp-http.options';

/**
 * RFC 9728 metadata for /mcp, named in its 401 challenge: a bearer token in
 * the Authorization header, with these scopes. Tokens are minted by an
 * operator (`observe tokens create`), so no authorization server is listed.
 */
@ApiExcludeController()
@PublicRoute()
@Controller('.well-known/oauth-protected-resource')
export class ProtectedResourceController {
  constructor(@Inject(ENVIRONMENT) private readonly environment: Environment) {}

  @Get('mcp')
  metadata(@Req() request: Request) {
    const base = publicBaseUrl(this.environment, request);
    return {
      resource: `${base}/mcp`,
      resource_name: '24observe MCP server',
      bearer_methods_supported: ['header'],
      scopes_supported: ALL_SCOPES,
      resource_documentation: `${base}/docs`,
    };
  }
}
