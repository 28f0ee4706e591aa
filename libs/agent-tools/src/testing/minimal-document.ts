import { OpenApiDocument } from '../converter/openapi-document';

/** A small operation for tests: scoped, named, with an optional JSON body. */
export function operation(
  operationId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    operationId,
    summary: `Run ${operationId}`,
    security: [{ token: ['things:write'] }],
    responses: { '200': { description: 'OK' } },
    ...extra,
  };
}

/** A document holding just the given paths and component schemas. */
export function documentWith(
  paths: Record<string, unknown>,
  schemas: Record<string, unknown> = {},
): OpenApiDocument {
  return { openapi: '3.1.0', paths, components: { schemas } };
}

/** A POST taking `schema` as its JSON body. */
export function bodyOperation(operationId: string, schema: unknown): Record<string, unknown> {
  return operation(operationId, {
    requestBody: { required: true, content: { 'application/json': { schema } } },
  });
}
