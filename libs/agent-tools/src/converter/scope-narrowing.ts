import { ToolConversionOptions, ToolDefinition } from './tool-definition';

/**
 * Whether a token may be offered a tool. A scoped token sees a tool when it
 * holds the tool's scope, and never a full-token-only tool or a DELETE; a
 * full token sees those too. Without options nothing is narrowed.
 */
export function isOfferedTo(tool: ToolDefinition, options: ToolConversionOptions): boolean {
  const fullToken = options.fullToken === true;
  const scoped = options.scopes !== undefined || options.fullToken === false;
  if (scoped && !fullToken && (tool.fullTokenOnly || tool.method === 'DELETE')) return false;

  if (options.scopes === undefined || tool.scope === null) return true;
  return options.scopes.includes(tool.scope);
}
