import { SetMetadata } from '@nestjs/common';

export const ROUTE_ACCESS = 'observe:route-access';

/** What a route needs; the access guard enforces it. */
export interface RouteAccess {
  public?: boolean;
  scope?: string;
  fullTokenOnly?: string;
}

/** No token needed (health, the scope catalog, the OpenAPI document). */
export function PublicRoute(): MethodDecorator & ClassDecorator {
  return SetMetadata(ROUTE_ACCESS, { public: true } satisfies RouteAccess);
}
