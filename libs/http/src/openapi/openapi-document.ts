import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { SAFE_ID } from '@observe/core';

type JsonObject = Record<string, unknown>;

const MUTATING = ['post', 'put', 'patch', 'delete'];
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: '/problems/missing-scope' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const GUARDRAIL_HEADERS = [
  {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Required for scoped (agent) tokens. The same key and request replays the stored answer ' +
      '(Idempotent-Replayed: true) with no new event and no quota; another body is 422.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  {
    name: 'X-Agent-Id',
    in: 'header',
    required: false,
    description: 'The acting agent; recorded on every event. At most 128 of [A-Za-z0-9._:-].',
    schema: { type: 'string', pattern: SAFE_ID.source },
  },
  {
    name: 'X-Conversation-Id',
    in: 'header',
    required: false,
    description: 'The agent run this belongs to; recorded on every event. Same charset.',
    schema: { type: 'string', pattern: SAFE_ID.source },
  },
];

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid input (problem+json with errors[]); nothing was written',
  '401': 'Missing, unknown, expired or revoked token',
  '403': 'The token lacks the scope, or only a full token may do this',
  '404': 'Not found',
  '409': 'Conflicts with the current state, or the same Idempotency-Key is in flight',
  '422': 'The Idempotency-Key was used for a different request',
  '429': "The token's daily mutation limit is used up (Retry-After)",
};

/**
 * The OpenAPI 3.1 document, generated from the controllers, then completed
 * with what every route shares: the guardrail headers on mutations, the
 * problem+json errors, and 3.1's way of saying "nullable".
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('24observe API')
    .setDescription(
      'Observability and incident API that AI agents can drive safely. Every route states ' +
        'the scope it needs (x-required-scope); mutations take Idempotency-Key, X-Agent-Id and ' +
        'X-Conversation-Id and count against the token’s daily mutation limit.',
    )
    .setVersion('1')
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'obs_ token' }, 'token')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });

  document.components = document.components ?? {};
  document.components.schemas = { ...(document.components.schemas ?? {}), Problem: PROBLEM_SCHEMA };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as JsonObject)) {
      if (typeof operation !== 'object' || operation === null) continue;
      completeOperation(path, method, operation as JsonObject);
    }
  }
  return toOpenApi31(document) as OpenAPIObject;
}

function completeOperation(path: string, method: string, operation: JsonObject): void {
  const isPublic = operation['x-public'] === true;
  if (!operation.security && !isPublic) operation.security = [{ token: [] }];
  if (isPublic) operation.security = [];

  if (MUTATING.includes(method)) {
    const parameters = (operation.parameters as JsonObject[] | undefined) ?? [];
    operation.parameters = [...parameters, ...GUARDRAIL_HEADERS];
  }

  const responses = (operation.responses as JsonObject | undefined) ?? {};
  const codes = path.includes('{')
    ? Object.keys(ERROR_RESPONSES)
    : Object.keys(ERROR_RESPONSES).filter((code) => code !== '404');
  for (const code of codes) {
    if (isPublic && ['401', '403', '429'].includes(code)) continue;
    if (!MUTATING.includes(method) && ['409', '422', '429'].includes(code)) continue;
    responses[code] ??= {
      description: ERROR_RESPONSES[code],
      content: { 'application/problem+json': { schema: PROBLEM_REF } },
    };
  }
  operation.responses = responses;
}

/** `nullable: true` (3.0) becomes a type union with "null" (3.1). */
function toOpenApi31(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toOpenApi31);
  if (value === null || typeof value !== 'object') return value;

  const object = Object.fromEntries(
    Object.entries(value as JsonObject).map(([key, item]) => [key, toOpenApi31(item)]),
  );
  if (object.nullable === true) {
    delete object.nullable;
    if (typeof object.type === 'string') object.type = [object.type, 'null'];
    else if (object.$ref || object.allOf) {
      const { description, ...schema } = object;
      return { anyOf: [schema, { type: 'null' }], ...(description ? { description } : {}) };
    }
  }
  return object;
}

/** Serves the document at /openapi.json and a rendered page at /docs. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: '24observe API',
  });
}
