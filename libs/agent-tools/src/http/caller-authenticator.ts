import { Injectable } from '@nestjs/common';
import { Request } from 'express';

import { DenialRecorder, TokenService } from '@observe/access';
import { DomainError, SAFE_ID } from '@observe/core';

import { ToolAudience } from './tool-audience';

/** An authenticated caller of a route that does its own authentication. */
export interface Caller extends ToolAudience {
  tokenId: string;
  /** The bearer secret, to act as this caller against the API itself. */
  secret: string;
}

/**
 * Bearer authentication for routes the global access guard lets through
 * (the tool files, /mcp): the same token checks and the same denial
 * records as the guard, with the challenge the route wants on a 401.
 */
@Injectable()
export class CallerAuthenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly denials: DenialRecorder,
  ) {}

  /** Undefined without an Authorization header; a header that fails is a 401. */
  async optional(request: Request, challenge?: string): Promise<Caller | undefined> {
    if (request.header('authorization') === undefined) return undefined;
    return this.required(request, challenge);
  }

  async required(request: Request, challenge?: string): Promise<Caller> {
    const [scheme, secret] = (request.header('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !secret) {
      this.deny(request, undefined, 'missing-token');
      throw unauthenticated('Send a bearer token: Authorization: Bearer obs_…', challenge);
    }

    const token = await this.tokens.authenticate(secret.trim());
    if (!token || token.revoked || token.expired) {
      const reason = !token ? 'unknown-token' : token.revoked ? 'revoked-token' : 'expired-token';
      this.deny(request, token?.id, reason);
      throw unauthenticated(`The token is ${reason.replace('-token', '')}.`, challenge);
    }
    return { tokenId: token.id, kind: token.kind, scopes: token.scopes, secret: secret.trim() };
  }

  private deny(request: Request, tokenId: string | undefined, reason: string): void {
    const agentId = request.header('x-agent-id');
    this.denials.record({
      tokenId,
      agentId: agentId && SAFE_ID.test(agentId) ? agentId : undefined,
      status: 401,
      reason,
      path: request.path,
    });
  }
}

function unauthenticated(message: string, challenge: string | undefined): DomainError {
  const headers = challenge === undefined ? {} : { headers: { 'WWW-Authenticate': challenge } };
  return new DomainError('unauthenticated', message, headers);
}
