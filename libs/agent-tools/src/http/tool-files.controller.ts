import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';

import { PublicRoute } from '@observe/http';

import { CallerAuthenticator } from './caller-authenticator';
import { LiveToolCatalog } from './live-tool-catalog';
import { conversionOptionsFor, parseScopeList } from './tool-audience';
import { ToolFormat } from './tool-files';

type ScopesParameter = string | string[] | undefined;

/**
 * The API as ready tool definitions for OpenAI, Anthropic and LangChain,
 * converted from the live OpenAPI document. Public, like the document; a
 * bearer token or `?scopes=` narrows the list to what such a token may call.
 * Kept out of the document itself, or these routes would become tools.
 */
@ApiExcludeController()
@PublicRoute()
@Controller('openapi')
export class ToolFilesController {
  constructor(
    private readonly catalog: LiveToolCatalog,
    private readonly callers: CallerAuthenticator,
  ) {}

  @Get('openai-tools.json')
  @Header('Vary', 'Authorization')
  openai(@Req() request: Request, @Query('scopes') scopes: ScopesParameter) {
    return this.offered('openai', request, scopes);
  }

  @Get('anthropic-tools.json')
  @Header('Vary', 'Authorization')
  anthropic(@Req() request: Request, @Query('scopes') scopes: ScopesParameter) {
    return this.offered('anthropic', request, scopes);
  }

  @Get('langchain-tools.json')
  @Header('Vary', 'Authorization')
  langchain(@Req() request: Request, @Query('scopes') scopes: ScopesParameter) {
    return this.offered('langchain', request, scopes);
  }

  private async offered(format: ToolFormat, request: Request, scopes: ScopesParameter) {
    const requested = parseScopeList(scopes);
    const caller = await this.callers.optional(request);
    return this.catalog.offered(conversionOptionsFor(caller, requested))[format];
  }
}
