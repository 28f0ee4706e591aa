import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { openApiFixture } from '../testing/openapi-fixture';
import { convertOpenApiToTools } from './convert-openapi-to-tools';
import { chunkOpenAiTools, OPENAI_MAX_TOOLS } from './openai-tool';
import { lintOpenAiTool } from './strict-schema-linter';
import { RUNTIME_HEADERS } from './tool-catalog';

const ALL_TOOLS = [
  'acknowledge_incident',
  'create_subscription',
  'delete_subscription',
  'disable_detection_rule',
  'get_blast_radius',
  'get_incident',
  'ingest_alerts',
  'list_audit_events',
  'list_incidents',
  'open_incident',
  'post_incident_update',
  'resolve_incident',
  'update_incident',
];

describe('convertOpenApiToTools on the API fixture', () => {
  const tools = convertOpenApiToTools(openApiFixture);

  it('offers every operation but the excluded health check, sorted by name', () => {
    expect(tools.catalog.map((tool) => tool.name)).toEqual(ALL_TOOLS);
    expect(tools.openai.map((tool) => tool.function.name)).toEqual(ALL_TOOLS);
    expect(tools.anthropic.map((tool) => tool.name)).toEqual(ALL_TOOLS);
    expect(tools.langchain.map((tool) => tool.name)).toEqual(ALL_TOOLS);
  });

  it.each(tools.openai.map((tool) => [tool.function.name, tool] as const))(
    'OpenAI tool %s passes the strict-mode linter and compiles',
    (_name, tool) => {
      const ajv = new Ajv2020({ strict: false });
      addFormats(ajv);

      const issues = lintOpenAiTool(tool);
      const compile = () => ajv.compile(tool.function.parameters);

      expect(issues).toEqual([]);
      expect(compile).not.toThrow();
    },
  );

  it('gives Anthropic and LangChain the full schema that compiles under strict Ajv', () => {
    const ajv = new Ajv2020({ strict: true, strictTypes: false });
    addFormats(ajv);

    for (const [index, tool] of tools.catalog.entries()) {
      expect(tools.anthropic[index].input_schema).toBe(tool.inputSchema);
      expect(tools.langchain[index].schema).toBe(tool.inputSchema);
      expect(() => ajv.compile(tool.inputSchema)).not.toThrow();
    }
  });

  it('keeps names, descriptions and argument names equal across the three outputs', () => {
    tools.catalog.forEach((tool, index) => {
      const openai = tools.openai[index].function;
      const anthropic = tools.anthropic[index];
      const langchain = tools.langchain[index];

      expect([openai.name, anthropic.name, langchain.name]).toEqual(Array(3).fill(tool.name));
      expect([openai.description, anthropic.description, langchain.description]).toEqual(
        Array(3).fill(tool.description),
      );
      expect(Object.keys(openai.parameters.properties)).toEqual(
        Object.keys(tool.inputSchema.properties),
      );
      expect(langchain.metadata).toEqual({
        method: tool.method,
        path: tool.path,
        scope: tool.scope,
        operationId: tool.operationId,
      });
    });
  });

  it('puts path and query parameters at the top level and the JSON body under body', () => {
    const list = tools.catalog.find((tool) => tool.name === 'list_incidents');
    const acknowledge = tools.catalog.find((tool) => tool.name === 'acknowledge_incident');

    expect(list?.queryParams).toEqual(['limit', 'cursor', 'status', 'severity', 'serviceId']);
    expect(list?.pathParams).toEqual([]);
    expect(list?.inputSchema.required).toEqual([]);
    expect(acknowledge?.pathParams).toEqual(['id']);
    expect(acknowledge?.inputSchema.required).toEqual(['id']);
    expect(Object.keys(acknowledge?.inputSchema.properties ?? {})).toEqual(['id', 'body']);
    expect(acknowledge?.inputSchema.properties.body).toMatchObject({
      type: 'object',
      properties: { note: { type: 'string', maxLength: 2000 } },
    });
  });

  it('never makes Authorization, Idempotency-Key or the agent headers arguments', () => {
    const argumentNames = tools.catalog.flatMap((tool) =>
      Object.keys(tool.inputSchema.properties).map((name) => name.toLowerCase()),
    );

    expect(argumentNames.filter((name) => RUNTIME_HEADERS.includes(name))).toEqual([]);
    expect(JSON.stringify(tools)).not.toMatch(/idempotency|x-agent-id|x-conversation-id/i);
  });

  it('inlines every $ref, nested ones included', () => {
    const open = tools.catalog.find((tool) => tool.name === 'open_incident');

    expect(JSON.stringify(tools)).not.toContain('$ref');
    expect(open?.inputSchema.properties.body).toMatchObject({
      properties: {
        severity: {
          type: 'string',
          enum: ['critical', 'high', 'medium', 'low', 'info'],
          description: 'Severity chosen by the agent',
        },
      },
    });
  });

  it('states the scope and the side effect in every description', () => {
    const byName = new Map(tools.catalog.map((tool) => [tool.name, tool.description]));

    expect(byName.get('acknowledge_incident')).toBe(
      'Acknowledge an incident. Requires scope incidents:write. ' +
        'Side effect: acknowledges the incident.',
    );
    expect(byName.get('list_incidents')).toBe(
      'List incidents, newest first. Requires scope incidents:read. Read-only: changes nothing.',
    );
    expect(byName.get('resolve_incident')).toContain(
      'Side effect: resolves the incident and closes its open alerts.',
    );
    expect(byName.get('delete_subscription')).toContain('Only a full token may call it');
    expect(byName.get('delete_subscription')).toContain('It cannot be undone.');
  });

  it('marks reads, destructive calls and full-token-only calls', () => {
    const flags = Object.fromEntries(
      tools.catalog.map((tool) => [
        tool.name,
        [tool.readOnly, tool.destructive, tool.fullTokenOnly],
      ]),
    );

    expect(flags.get_incident).toEqual([true, false, false]);
    expect(flags.open_incident).toEqual([false, false, false]);
    expect(flags.delete_subscription).toEqual([false, true, true]);
    expect(flags.disable_detection_rule).toEqual([false, true, true]);
  });

  it('documents the answer, without writeOnly fields and with recursion cut', () => {
    const create = tools.catalog.find((tool) => tool.name === 'create_subscription');
    const blast = tools.catalog.find((tool) => tool.name === 'get_blast_radius');
    const remove = tools.catalog.find((tool) => tool.name === 'delete_subscription');

    expect(Object.keys(create?.outputSchema?.properties ?? {})).not.toContain('secret');
    expect(JSON.stringify(blast?.outputSchema)).toContain('Recursive BlastRadiusNode');
    expect(remove).not.toHaveProperty('outputSchema');
  });

  it('gives the same output for the same document, whatever the order of its paths', () => {
    const reordered = {
      ...openApiFixture,
      paths: Object.fromEntries(Object.entries(openApiFixture.paths).reverse()),
    };

    expect(JSON.stringify(convertOpenApiToTools(reordered))).toBe(JSON.stringify(tools));
  });
});

describe('narrowing to a token', () => {
  const names = (options: Parameters<typeof convertOpenApiToTools>[1]) =>
    convertOpenApiToTools(openApiFixture, options).catalog.map((tool) => tool.name);

  it('keeps only tools whose scope the token holds', () => {
    expect(names({ scopes: ['incidents:read'] })).toEqual(['get_incident', 'list_incidents']);
    expect(names({ scopes: ['graph:read', 'audit:read'] })).toEqual([
      'get_blast_radius',
      'list_audit_events',
    ]);
    expect(names({ scopes: [] })).toEqual([]);
  });

  it('never offers a scoped token DELETE or a full-token-only tool', () => {
    const scopes = ['subscriptions:write', 'detections:write'];

    expect(names({ scopes })).toEqual(['create_subscription']);
    expect(names({ scopes, fullToken: false })).toEqual(['create_subscription']);
    expect(names({ scopes, fullToken: true })).toEqual([
      'create_subscription',
      'delete_subscription',
      'disable_detection_rule',
    ]);
  });

  it('offers everything to a full token without a scope list', () => {
    expect(names({ fullToken: true })).toEqual(ALL_TOOLS);
    expect(names({ fullToken: false })).toEqual(
      ALL_TOOLS.filter((name) => !['delete_subscription', 'disable_detection_rule'].includes(name)),
    );
  });
});

describe('chunkOpenAiTools', () => {
  it('splits a long list into requests of at most 128 tools, in order', () => {
    const many = Array.from({ length: 300 }, (_, index) => index);

    const chunks = chunkOpenAiTools(many);

    expect(chunks.map((chunk) => chunk.length)).toEqual([128, 128, 44]);
    expect(chunks.flat()).toEqual(many);
  });

  it('refuses a chunk size OpenAI would reject', () => {
    expect(() => chunkOpenAiTools([1], OPENAI_MAX_TOOLS + 1)).toThrow(RangeError);
    expect(() => chunkOpenAiTools([1], 0)).toThrow(RangeError);
  });
});
