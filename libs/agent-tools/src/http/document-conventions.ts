import { isRecord } from '../converter/json-schema';
import { OpenApiDocument, OPERATION_EXTENSIONS as X } from '../converter/openapi-document';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/**
 * The live document says "full token only" with the reason as text
 * (`x-full-token-only: "minting or managing tokens"`), and such a route may
 * declare no scope at all, because a full token needs none. The converter
 * reads a boolean and wants a scope or an explicit `security: []`. This maps
 * the one onto the other without touching the served document.
 */
export function withConverterConventions(document: OpenApiDocument): OpenApiDocument {
  const paths = isRecord(document.paths) ? document.paths : {};
  const adapted: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(paths)) {
    adapted[path] = isRecord(item) ? adaptPathItem(item) : item;
  }
  return { ...document, paths: adapted };
}

function adaptPathItem(item: Record<string, unknown>): Record<string, unknown> {
  const adapted: Record<string, unknown> = { ...item };
  for (const method of METHODS) {
    const operation = item[method];
    if (isRecord(operation)) adapted[method] = adaptOperation(operation);
  }
  return adapted;
}

function adaptOperation(operation: Record<string, unknown>): Record<string, unknown> {
  const marker = operation[X.fullTokenOnly];
  if (marker === undefined || marker === false) return operation;

  const adapted: Record<string, unknown> = { ...operation, [X.fullTokenOnly]: true };
  if (typeof operation[X.requiredScope] !== 'string' && declaresNoScope(operation.security)) {
    // No scope to hold: only the token's kind decides, which `security: []` plus the
    // full-token marker says to the converter.
    adapted.security = [];
  }
  return adapted;
}

function declaresNoScope(security: unknown): boolean {
  if (!Array.isArray(security)) return true;
  return security.every(
    (requirement) =>
      isRecord(requirement) &&
      Object.values(requirement).every((scopes) => !Array.isArray(scopes) || scopes.length === 0),
  );
}
