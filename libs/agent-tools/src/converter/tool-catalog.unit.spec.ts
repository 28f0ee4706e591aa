import { bodyOperation, documentWith, operation } from '../testing/minimal-document';
import { buildToolCatalog } from './tool-catalog';
import { ToolConversionError } from './tool-conversion.error';
import { toolNameFromOperationId } from './tool-name';

describe('buildToolCatalog', () => {
  it('fails the build when two operations map to one tool name', () => {
    const document = documentWith({
      '/api/v1/things/{id}': {
        get: operation('getThing', {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        }),
      },
      '/api/v1/things': { get: operation('get_thing') },
    });

    const build = () => buildToolCatalog(document);

    expect(build).toThrow(ToolConversionError);
    expect(build).toThrow(/"get_thing".*clashes with GET \/api\/v1\/things/);
  });

  it('refuses names longer than 60 characters unless x-tool-name shortens them', () => {
    const long = 'listEveryIncidentThatWasOpenedByAnAgentDuringTheLastMaintenanceWindow';
    const named = (extra: Record<string, unknown>) =>
      documentWith({ '/api/v1/things': { get: operation(long, extra) } });

    expect(() => buildToolCatalog(named({}))).toThrow(/at most 60/);
    expect(buildToolCatalog(named({ 'x-tool-name': 'list_agent_incidents' }))[0].name).toBe(
      'list_agent_incidents',
    );
  });

  it('fails on an operation without operationId or without a scope', () => {
    const noId = documentWith({ '/api/v1/a': { get: { security: [{ token: ['a:read'] }] } } });
    const noScope = documentWith({
      '/api/v1/a': { get: operation('getA', { security: undefined }) },
    });
    const allScopes = documentWith({
      '/api/v1/a': { get: operation('getA', { security: [{ token: ['a:read', 'b:read'] }] }) },
    });

    expect(() => buildToolCatalog(noId)).toThrow(/operationId is missing/);
    expect(() => buildToolCatalog(noScope)).toThrow(/no scope/);
    expect(() => buildToolCatalog(allScopes)).toThrow(/several scopes/);
  });

  it('takes x-required-scope, but not one that contradicts security', () => {
    const declared = (scope: string) =>
      documentWith({
        '/api/v1/a': { get: operation('getA', { 'x-required-scope': scope }) },
      });

    expect(buildToolCatalog(declared('things:write'))[0].scope).toBe('things:write');
    expect(() => buildToolCatalog(declared('things:read'))).toThrow(/not among the security/);
  });

  it('marks an explicitly public operation as needing no scope', () => {
    const document = documentWith({ '/api/v1/a': { get: operation('getA', { security: [] }) } });

    const [tool] = buildToolCatalog(document);

    expect(tool.scope).toBeNull();
    expect(tool.description).toContain('Needs no scope.');
  });

  it('fails on a required header the runtime does not set, and skips the ones it does', () => {
    const header = (name: string) =>
      documentWith({
        '/api/v1/a': {
          post: operation('postA', {
            parameters: [{ name, in: 'header', required: true, schema: { type: 'string' } }],
          }),
        },
      });

    expect(() => buildToolCatalog(header('If-Match'))).toThrow(/If-Match cannot be a tool/);
    expect(buildToolCatalog(header('Idempotency-Key'))[0].inputSchema.properties).toEqual({});
  });

  it('fails on path parameters that do not match the template', () => {
    const document = documentWith({ '/api/v1/a/{id}': { get: operation('getA') } });

    expect(() => buildToolCatalog(document)).toThrow(/missing: id/);
  });

  it('fails on a recursive input schema instead of looping', () => {
    const node = {
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
    };
    const document = documentWith(
      { '/api/v1/a': { post: bodyOperation('postA', { $ref: '#/components/schemas/Node' }) } },
      { Node: node },
    );

    expect(() => buildToolCatalog(document)).toThrow(/recursive schema/);
  });

  it('fails on a body that is not JSON, unless the operation opts out', () => {
    const upload = (extra: Record<string, unknown>) =>
      documentWith({
        '/api/v1/files': {
          post: operation('uploadFile', {
            requestBody: { content: { 'multipart/form-data': { schema: { type: 'object' } } } },
            ...extra,
          }),
        },
      });

    expect(() => buildToolCatalog(upload({}))).toThrow(/no JSON content type/);
    expect(buildToolCatalog(upload({ 'x-agent-tool': false }))).toEqual([]);
  });

  it('reads OpenAPI 3.0 nullable, allOf wrappers and boolean exclusive bounds', () => {
    const document = documentWith(
      {
        '/api/v1/a': {
          post: bodyOperation('postA', {
            type: 'object',
            required: ['level'],
            properties: {
              level: { nullable: true, allOf: [{ $ref: '#/components/schemas/Level' }] },
              ratio: { type: 'number', minimum: 0, exclusiveMinimum: true },
            },
          }),
        },
      },
      { Level: { type: 'string', enum: ['low', 'high'] } },
    );

    const [tool] = buildToolCatalog(document);

    expect(tool.inputSchema.properties.body.properties).toEqual({
      level: { type: ['string', 'null'], enum: ['low', 'high', null] },
      ratio: { type: 'number', exclusiveMinimum: 0 },
    });
  });

  it('merges allOf parts of DTO inheritance and drops readOnly fields from inputs', () => {
    const document = documentWith(
      {
        '/api/v1/a': {
          post: bodyOperation('postA', {
            allOf: [
              { $ref: '#/components/schemas/Base' },
              { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
            ],
          }),
        },
      },
      {
        Base: {
          type: 'object',
          required: ['id', 'kind'],
          properties: { id: { type: 'string', readOnly: true }, kind: { type: 'string' } },
        },
      },
    );

    const [tool] = buildToolCatalog(document);

    expect(tool.inputSchema.properties.body).toEqual({
      type: 'object',
      required: ['kind', 'name'],
      properties: { kind: { type: 'string' }, name: { type: 'string' } },
    });
  });
});

describe('toolNameFromOperationId', () => {
  it.each([
    ['acknowledgeIncident', 'acknowledge_incident'],
    ['IncidentsController_list', 'incidents_list'],
    ['getHTTPStatus', 'get_http_status'],
    ['incidents.post-update', 'incidents_post_update'],
    ['list_incidents', 'list_incidents'],
  ])('%s -> %s', (operationId, name) => {
    expect(toolNameFromOperationId(operationId)).toBe(name);
  });
});
