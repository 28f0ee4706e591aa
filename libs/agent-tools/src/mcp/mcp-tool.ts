import type { Tool } from '@modelcontextprotocol/sdk/types.js';

import { JsonSchema, propertiesOf, schemaTypes } from '../converter/json-schema';
import { ToolDefinition } from '../converter/tool-definition';

type ObjectSchema = JsonSchema & { type: 'object' };

/** What the mutation guardrails add to every mutation's answer. */
const PRODUCED_EVENTS: JsonSchema = {
  type: 'array',
  description: 'The events this call appended, to cite as evidence of the action.',
  items: {
    type: 'object',
    properties: {
      eventId: { type: 'string' },
      type: { type: 'string' },
      position: { type: 'string' },
    },
  },
};

const converted = new WeakMap<ToolDefinition, Tool>();

/**
 * A catalog tool as MCP lists it: the same name, description and input
 * schema as the three tool files, with hints from the method and the scope.
 */
export function toMcpTool(tool: ToolDefinition): Tool {
  const known = converted.get(tool);
  if (known) return known;

  const outputSchema = mcpOutputSchema(tool);
  const mcpTool: Tool = {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(outputSchema === undefined ? {} : { outputSchema }),
    annotations: toolAnnotations(tool),
    _meta: { 'observe/scope': tool.scope, 'observe/operation': `${tool.method} ${tool.path}` },
  };
  converted.set(tool, mcpTool);
  return mcpTool;
}

/**
 * GET reads; so does anything a `:read` scope is enough for. PUT and DELETE
 * are idempotent by HTTP's definition; a POST acts again on every call, as
 * each call gets its own Idempotency-Key.
 */
export function toolAnnotations(tool: ToolDefinition): NonNullable<Tool['annotations']> {
  const readOnly =
    tool.method === 'GET' || (tool.method !== 'DELETE' && tool.scope?.endsWith(':read') === true);
  return {
    readOnlyHint: readOnly,
    destructiveHint: !readOnly && tool.destructive,
    idempotentHint: readOnly || tool.method === 'PUT' || tool.method === 'DELETE',
    openWorldHint: false,
  };
}

/**
 * MCP wants an object at the root of an output schema, so an answer that is a
 * list or a scalar is described in the text content only. A mutation's answer
 * also carries its events, which the operation's own schema does not name.
 */
function mcpOutputSchema(tool: ToolDefinition): ObjectSchema | undefined {
  const schema = tool.outputSchema;
  const types = schema === undefined ? [] : schemaTypes(schema);
  if (schema === undefined || types.length !== 1 || types[0] !== 'object') return undefined;
  if (tool.method === 'GET') return { ...schema, type: 'object' };

  const open: ObjectSchema = {
    ...schema,
    type: 'object',
    properties: { events: PRODUCED_EVENTS, ...propertiesOf(schema) },
  };
  if (open.additionalProperties === false) delete open.additionalProperties;
  return open;
}
