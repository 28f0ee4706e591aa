import { isScope } from '@observe/access';
import { ValidationError } from '@observe/core';

import { ToolConversionOptions } from '../converter/tool-definition';

/** The token a tool list is for: its kind and, for a scoped token, its scopes. */
export interface ToolAudience {
  kind: 'full' | 'scoped';
  scopes: readonly string[];
}

/**
 * `?scopes=a,b` as a list, checked against the scope catalog. Absent gives
 * undefined; a repeated parameter counts as one list.
 */
export function parseScopeList(raw: string | readonly string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;

  const scopes = (Array.isArray(raw) ? raw.join(',') : String(raw))
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope.length > 0);
  if (scopes.length === 0) {
    throw new ValidationError('scopes names no scope; give a comma-separated list', [
      { field: 'scopes', message: 'at least one scope, e.g. incidents:read,audit:read' },
    ]);
  }

  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) {
    throw new ValidationError(
      `unknown scopes: ${unknown.join(', ')}`,
      unknown.map((scope) => ({ field: 'scopes', message: `${scope} is not a scope` })),
      { unknownScopes: unknown, catalog: '/api/v1/scopes' },
    );
  }
  return [...new Set(scopes)].sort();
}

/**
 * Which tools to list. Requested scopes describe a scoped token holding them,
 * narrowed further by the caller's own scopes when the caller is scoped; a
 * caller alone gets what its token may call; nobody at all gets every tool.
 */
export function conversionOptionsFor(
  caller: ToolAudience | undefined,
  requested: readonly string[] | undefined,
): ToolConversionOptions {
  if (requested !== undefined) {
    const held = caller?.kind === 'scoped' ? new Set(caller.scopes) : undefined;
    const scopes = held ? requested.filter((scope) => held.has(scope)) : [...requested];
    return { scopes, fullToken: false };
  }
  if (caller === undefined) return {};
  if (caller.kind === 'full') return { fullToken: true };
  return { scopes: [...caller.scopes], fullToken: false };
}
