import { isRecord } from './json-schema';
import { ToolConversionError } from './tool-conversion.error';

/** Resolves a local reference such as `#/components/schemas/Incident`. */
export function resolveLocalRef(document: object, ref: string, location: string): unknown {
  if (!ref.startsWith('#')) {
    throw new ToolConversionError(location, `only local references are supported, got ${ref}`);
  }

  let current: unknown = document;
  const tokens = ref === '#' ? [] : ref.slice(2).split('/');
  for (const raw of tokens) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    const next = isRecord(current) || Array.isArray(current) ? readKey(current, token) : undefined;
    if (next === undefined) {
      throw new ToolConversionError(location, `reference ${ref} does not resolve`);
    }
    current = next;
  }
  return current;
}

function readKey(container: Record<string, unknown> | unknown[], key: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(container, key)) return undefined;
  return Array.isArray(container) ? container[Number(key)] : container[key];
}

/** Follows `$ref` objects (parameters, request bodies, responses) to what they name. */
export function dereference(document: object, value: unknown, location: string): unknown {
  const seen = new Set<string>();
  let current = value;
  while (isRecord(current) && typeof current.$ref === 'string') {
    if (seen.has(current.$ref)) {
      throw new ToolConversionError(location, `reference ${current.$ref} refers to itself`);
    }
    seen.add(current.$ref);
    current = resolveLocalRef(document, current.$ref, location);
  }
  return current;
}
