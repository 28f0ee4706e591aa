import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { DomainError, SAFE_ID } from '@observe/core';

import { DenialRecorder } from '../denials/denial-recorder';
import { ROUTE_ACCESS, RouteAccess } from '../scopes/route-access.decorator';
import { FULL_TOKEN_CLASSES, FullTokenClass } from '../scopes/scope-catalog';
import { TokenService } from '../tokens/token.service';
import { AuthenticatedRequest, isReadMethod, Principal } from './principal';

/**
 * Authenticates the bearer token and enforces what the route declared.
 * A route that declares nothing is treated as full-token-only: secure by default.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly denials: DenialRecorder,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;

    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access?.public) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;

    if (principal.kind === 'full') return true;
    if (!access?.scope || access.fullTokenOnly) {
      const what = access?.fullTokenOnly
        ? FULL_TOKEN_CLASSES[access.fullTokenOnly as FullTokenClass]
        : 'this operation';
      this.deny(request, principal, 403, 'full-token-required');
      throw new DomainError(
        'full_token_required',
        `Scoped tokens can never do ${what}; use a full token.`,
        { required: 'full-token', class: access?.fullTokenOnly ?? 'undeclared-route' },
      );
    }
    if (!principal.scopes.has(access.scope)) {
      this.deny(request, principal, 403, `missing-scope:${access.scope}`);
      throw new DomainError('forbidden', `This needs the scope ${access.scope}.`, {
        requiredScope: access.scope,
        tokenScopes: [...principal.scopes],
      });
    }
    return true;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<Principal> {
    const header = request.header('authorization') ?? '';
    const [scheme, secret] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !secret) {
      this.deny(request, undefined, 401, 'missing-token');
      throw new DomainError('unauthenticated', 'Send a bearer token: Authorization: Bearer obs_…');
    }

    // A mutation's transaction checks revocation again (the ledger), so the
    // token may come from memory there; reads always look it up.
    const token = await this.tokens.authenticate(secret.trim(), {
      cached: !isReadMethod(request.method),
    });
    if (!token || token.revoked || token.expired) {
      const reason = !token ? 'unknown-token' : token.revoked ? 'revoked-token' : 'expired-token';
      this.deny(request, token ? { tokenId: token.id } : undefined, 401, reason);
      throw new DomainError('unauthenticated', `The token is ${reason.replace('-token', '')}.`);
    }

    return {
      tokenId: token.id,
      name: token.name,
      kind: token.kind,
      scopes: new Set(token.scopes),
      dailyMutationLimit: token.dailyMutationLimit,
    };
  }

  private deny(
    request: AuthenticatedRequest,
    principal: Pick<Principal, 'tokenId'> | undefined,
    status: 401 | 403,
    reason: string,
  ): void {
    const agentId = request.header('x-agent-id');
    this.denials.record({
      tokenId: principal?.tokenId,
      agentId: agentId && SAFE_ID.test(agentId) ? agentId : undefined,
      status,
      reason,
      path: request.path,
    });
  }
}
