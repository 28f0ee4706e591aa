import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';

import { ROUTE_ACCESS, RouteAccess } from '@observe/http';

import { FULL_TOKEN_CLASSES, FullTokenClass, Scope } from './scope-catalog';

export { PublicRoute, ROUTE_ACCESS } from '@observe/http';
export type { RouteAccess } from '@observe/http';

/**
 * The one place a route declares what it needs. The guard enforces it and
 * OpenAPI shows it (security requirement plus `x-required-scope`).
 */
export function RequireScope(
  scope: Scope,
  options: { ingestion?: boolean } = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, { scope, ingestion: options.ingestion } satisfies RouteAccess),
    ...(options.ingestion ? [ApiExtension('x-ingestion', true)] : []),
    ApiSecurity('token', [scope]),
    ApiExtension('x-required-scope', scope),
  );
}

/** A route scoped tokens may never call; `scope` still applies to full tokens' docs. */
export function FullTokenOnly(kind: FullTokenClass, scope?: Scope): MethodDecorator {
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, { scope, fullTokenOnly: kind } satisfies RouteAccess),
    ApiSecurity('token', scope ? [scope] : []),
    ApiExtension('x-full-token-only', FULL_TOKEN_CLASSES[kind]),
    ...(scope ? [ApiExtension('x-required-scope', scope)] : []),
  );
}
