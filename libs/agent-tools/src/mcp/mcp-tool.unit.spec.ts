import { buildToolCatalog } from '../converter/tool-catalog';
import { ToolDefinition } from '../converter/tool-definition';
import { openApiFixture } from '../testing/openapi-fixture';
import { toMcpTool, toolAnnotations } from './mcp-tool';

function tool(overrides: Partial<ToolDefinition>): ToolDefinition {
  return {
    name: 'do_thing',
    description: 'Do a thing.',
    method: 'POST',
    path: '/api/v1/things',
    operationId: 'doThing',
    scope: 'things:write',
    fullTokenOnly: false,
    readOnly: false,
    destructive: false,
    inputSchema: { type: 'object', properties: {}, required: [], additionalProperties: false },
    pathParams: [],
    queryParams: [],
    ...overrides,
  };
}

describe('toMcpTool', () => {
  const catalog = buildToolCatalog(openApiFixture);

  it('keeps the name, description and input schema of the catalog', () => {
    for (const entry of catalog) {
      const mcp = toMcpTool(entry);

      expect(mcp.name).toBe(entry.name);
      expect(mcp.description).toBe(entry.description);
      expect(mcp.inputSchema).toEqual(entry.inputSchema);
    }
  });

  it('hints from the method and the scope', () => {
    expect(toolAnnotations(tool({ method: 'GET', scope: 'things:read' }))).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(toolAnnotations(tool({ method: 'POST' }))).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
    expect(toolAnnotations(tool({ method: 'POST', destructive: true }))).toMatchObject({
      destructiveHint: true,
    });
    expect(toolAnnotations(tool({ method: 'POST', scope: 'things:read' }))).toMatchObject({
      readOnlyHint: true,
    });
    expect(toolAnnotations(tool({ method: 'DELETE', destructive: true }))).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
  });

  it('declares an output schema only for object answers, with the events of a mutation', () => {
    const object = {
      type: 'object',
      properties: { id: { type: 'string' } },
      additionalProperties: false,
    };

    const read = toMcpTool(tool({ method: 'GET', outputSchema: object }));
    const write = toMcpTool(tool({ outputSchema: object }));
    const list = toMcpTool(tool({ method: 'GET', outputSchema: { type: 'array', items: {} } }));

    expect(read.outputSchema).toEqual(object);
    expect(write.outputSchema?.properties).toHaveProperty('events');
    expect(write.outputSchema).not.toHaveProperty('additionalProperties');
    expect(list.outputSchema).toBeUndefined();
  });
});
