import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

import { isRecord } from '../converter/json-schema';
import { ToolResult } from '../runtime/tool-runtime';
import { ToolRuntimeError } from '../runtime/tool-runtime.error';

/**
 * An API answer as an MCP tool result. Success carries the JSON as text and,
 * when it is an object, as `structuredContent`. An error answer is a result
 * with `isError`, its problem+json as the text, so the model reads why and
 * can correct itself; it is not a protocol error.
 */
export function toCallToolResult(result: ToolResult): CallToolResult {
  if (!result.ok) {
    return { isError: true, content: [{ type: 'text', text: problemText(result) }] };
  }

  const text =
    result.body === null ? `Done: HTTP ${result.status}, no content.` : jsonText(result.body);
  return {
    content: [{ type: 'text', text }],
    ...(isRecord(result.body) ? { structuredContent: result.body } : {}),
  };
}

/** A call the runtime could not send or deliver, told to the model as a problem. */
export function runtimeErrorResult(error: ToolRuntimeError): CallToolResult {
  const problem = {
    type: `/problems/tool-${error.code.replace(/_/g, '-')}`,
    title: 'The tool call could not be sent',
    detail: error.message,
    ...error.details,
  };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(problem) }] };
}

function problemText(result: ToolResult): string {
  if (isRecord(result.body)) return JSON.stringify(result.body);

  const problem = {
    type: `/problems/http-${result.status}`,
    title: `HTTP ${result.status}`,
    status: result.status,
    detail: typeof result.body === 'string' ? result.body : 'The API refused the call.',
  };
  return JSON.stringify(problem);
}

function jsonText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}
