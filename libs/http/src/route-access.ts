import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const ROUTE_ACCESS = 'observe:route-access';

/** What a route needs; the access guard enforces it. */
export interface RouteAccess {
  public?: boolean;
  scope?: string;
  fullTokenOnly?: string;
  /**
   * Telemetry ingestion: exporters cannot send an Idempotency-Key and the
   * payload dedupes itself by its own ids, so the key is optional and the
   * request does not count against the daily mutation limit.
   */
  ingestion?: boolean;
}

/** No token needed (health, the scope catalog, the OpenAPI document). */
export function PublicRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, { public: true } satisfies RouteAccess),
    ApiExtension('x-public', true),
  );
}
