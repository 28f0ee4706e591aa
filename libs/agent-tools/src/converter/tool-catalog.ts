import { dereference } from './json-pointer';
import { isObjectSchema, isRecord, JsonSchema } from './json-schema';
import { OpenApiDocument, OPERATION_EXTENSIONS as X } from './openapi-document';
import { SchemaNormalizer } from './schema-normalizer';
import { describeTool } from './tool-description';
import { HttpMethod, ToolDefinition } from './tool-definition';
import { ToolConversionError } from './tool-conversion.error';
import { assertValidToolName, toolNameFromOperationId } from './tool-name';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const HTTP_METHODS: Record<(typeof METHODS)[number], HttpMethod> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  patch: 'PATCH',
  delete: 'DELETE',
};

/** Headers the caller's runtime sets; never tool arguments. */
export const RUNTIME_HEADERS = [
  'authorization',
  'idempotency-key',
  'x-agent-id',
  'x-conversation-id',
];

/**
 * Every operation of the document as a neutral tool definition, sorted by
 * name. Fails on anything a model could not call safely: a missing
 * operationId or scope, a bad or clashing name, a required header the
 * runtime does not set, a body that is not JSON.
 */
export function buildToolCatalog(document: OpenApiDocument): ToolDefinition[] {
  const normalizer = new SchemaNormalizer(document);
  const paths = isRecord(document.paths) ? document.paths : {};

  const tools: ToolDefinition[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = dereference(document, rawItem, path);
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isRecord(operation) || operation[X.agentTool] === false) continue;
      const builder = new OperationTool(document, normalizer, path, method, item, operation);
      tools.push(builder.build());
    }
  }

  assertUnique(tools);
  return tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function assertUnique(tools: ToolDefinition[]): void {
  const byName = new Map<string, ToolDefinition>();
  const byOperationId = new Map<string, ToolDefinition>();
  for (const tool of tools) {
    const clash = byName.get(tool.name) ?? byOperationId.get(tool.operationId);
    if (clash) {
      throw new ToolConversionError(
        `${tool.method} ${tool.path}`,
        `tool name "${tool.name}" (operationId ${tool.operationId}) clashes with ` +
          `${clash.method} ${clash.path} (operationId ${clash.operationId})`,
      );
    }
    byName.set(tool.name, tool);
    byOperationId.set(tool.operationId, tool);
  }
}

class OperationTool {
  private readonly location: string;
  private readonly method: HttpMethod;

  constructor(
    private readonly document: OpenApiDocument,
    private readonly normalizer: SchemaNormalizer,
    private readonly path: string,
    method: (typeof METHODS)[number],
    private readonly item: Record<string, unknown>,
    private readonly operation: Record<string, unknown>,
  ) {
    this.method = HTTP_METHODS[method];
    this.location = `${this.method} ${path}`;
  }

  build(): ToolDefinition {
    const operationId = this.operation.operationId;
    if (typeof operationId !== 'string' || operationId.length === 0) {
      throw new ToolConversionError(this.location, 'operationId is missing');
    }
    const override = this.operation[X.toolName];
    const name = typeof override === 'string' ? override : toolNameFromOperationId(operationId);
    assertValidToolName(name, this.location);

    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    const pathParams: string[] = [];
    const queryParams: string[] = [];
    for (const parameter of this.parameters()) {
      const where = parameter.in;
      if (where !== 'path' && where !== 'query') continue;
      properties[parameter.name] = this.parameterSchema(parameter);
      (where === 'path' ? pathParams : queryParams).push(parameter.name);
      if (where === 'path' || parameter.required === true) required.push(parameter.name);
    }
    this.assertPathTemplate(pathParams);

    const body = this.requestBody();
    if (body) {
      properties.body = body.schema;
      if (body.required) required.push('body');
    }

    const scope = this.scope();
    const fullTokenOnly = this.operation[X.fullTokenOnly] === true || this.method === 'DELETE';
    const destructive = this.method === 'DELETE' || this.operation[X.destructive] === true;
    const sideEffect = this.operation[X.sideEffect];
    const outputSchema = this.outputSchema();
    return {
      name,
      description: describeTool({
        operationId,
        method: this.method,
        summary: stringOrUndefined(this.operation.summary),
        description: stringOrUndefined(this.operation.description),
        scope,
        fullTokenOnly,
        destructive,
        sideEffect: stringOrUndefined(sideEffect),
      }),
      method: this.method,
      path: this.path,
      operationId,
      scope,
      fullTokenOnly,
      readOnly: this.method === 'GET',
      destructive,
      inputSchema: { type: 'object', properties, required, additionalProperties: false },
      ...(outputSchema === undefined ? {} : { outputSchema }),
      pathParams,
      queryParams,
    };
  }

  /** Path-level parameters, overridden by operation-level ones of the same name and place. */
  private parameters(): Parameter[] {
    const merged = new Map<string, Parameter>();
    for (const list of [this.item.parameters, this.operation.parameters]) {
      if (!Array.isArray(list)) continue;
      for (const raw of list) {
        const parameter = this.readParameter(raw);
        merged.set(`${parameter.in}:${parameter.name}`, parameter);
      }
    }

    const parameters = [...merged.values()];
    for (const parameter of parameters) {
      if (parameter.in === 'path' || parameter.in === 'query') {
        if (parameter.name === 'body') {
          throw new ToolConversionError(this.location, 'a parameter named "body" clashes');
        }
        const twins = parameters.filter(
          (other) => other.name === parameter.name && (other.in === 'path' || other.in === 'query'),
        );
        if (twins.length > 1) {
          throw new ToolConversionError(
            this.location,
            `"${parameter.name}" is both a path and a query parameter`,
          );
        }
      } else if (parameter.required === true) {
        this.assertRuntimeHeader(parameter);
      }
    }
    return parameters;
  }

  private readParameter(raw: unknown): Parameter {
    const parameter = dereference(this.document, raw, this.location);
    if (!isRecord(parameter) || typeof parameter.name !== 'string') {
      throw new ToolConversionError(this.location, 'a parameter has no name');
    }
    if (typeof parameter.in !== 'string') {
      throw new ToolConversionError(this.location, `parameter ${parameter.name} has no "in"`);
    }
    return {
      name: parameter.name,
      in: parameter.in,
      required: parameter.required === true,
      description: stringOrUndefined(parameter.description),
      schema: parameter.schema,
    };
  }

  private assertRuntimeHeader(parameter: Parameter): void {
    if (parameter.in === 'header' && RUNTIME_HEADERS.includes(parameter.name.toLowerCase())) {
      return;
    }
    throw new ToolConversionError(
      this.location,
      `required ${parameter.in} parameter ${parameter.name} cannot be a tool argument ` +
        'and is not one the runtime sets',
    );
  }

  private parameterSchema(parameter: Parameter): JsonSchema {
    if (parameter.schema === undefined) {
      throw new ToolConversionError(this.location, `parameter ${parameter.name} has no schema`);
    }
    const where = `${this.location} parameter ${parameter.name}`;
    const schema = this.normalizer.normalize(parameter.schema, 'request', where);
    if (parameter.in === 'query' && isObjectSchema(schema)) {
      throw new ToolConversionError(where, 'object query parameters are not supported');
    }
    return parameter.description === undefined
      ? schema
      : { ...schema, description: parameter.description };
  }

  private assertPathTemplate(pathParams: string[]): void {
    const inTemplate = [...this.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const missing = inTemplate.filter((name) => !pathParams.includes(name));
    const extra = pathParams.filter((name) => !inTemplate.includes(name));
    if (missing.length > 0 || extra.length > 0) {
      throw new ToolConversionError(
        this.location,
        `path parameters do not match the template (missing: ${missing}; extra: ${extra})`,
      );
    }
  }

  private requestBody(): { schema: JsonSchema; required: boolean } | undefined {
    const body = dereference(this.document, this.operation.requestBody, this.location);
    if (!isRecord(body)) return undefined;

    const media = jsonMedia(body.content);
    if (media === undefined) {
      throw new ToolConversionError(
        this.location,
        'the request body has no JSON content type; mark the operation x-agent-tool: false',
      );
    }
    const schema = this.normalizer.normalize(
      media.schema ?? {},
      'request',
      `${this.location} body`,
    );
    const description = stringOrUndefined(body.description);
    return {
      schema: description && schema.description === undefined ? { ...schema, description } : schema,
      required: body.required === true,
    };
  }

  private outputSchema(): JsonSchema | undefined {
    const responses = this.operation.responses;
    if (!isRecord(responses)) return undefined;

    const success = Object.keys(responses)
      .filter((code) => /^2(\d\d|XX)$/i.test(code))
      .sort();
    for (const code of success) {
      const response = dereference(this.document, responses[code], this.location);
      const media = isRecord(response) ? jsonMedia(response.content) : undefined;
      if (media?.schema !== undefined) {
        return this.normalizer.normalize(media.schema, 'response', `${this.location} ${code}`);
      }
    }
    return undefined;
  }

  private scope(): string | null {
    const declared = this.operation[X.requiredScope];
    const security = Array.isArray(this.operation.security)
      ? this.operation.security
      : this.document.security;
    const scopes = [...new Set((security ?? []).flatMap(scopesOf))];

    if (typeof declared === 'string') {
      if (scopes.length > 0 && !scopes.includes(declared)) {
        throw new ToolConversionError(
          this.location,
          `${X.requiredScope} ${declared} is not among the security scopes (${scopes})`,
        );
      }
      return declared;
    }
    if (scopes.length === 1) return scopes[0];
    if (scopes.length > 1) {
      throw new ToolConversionError(
        this.location,
        `several scopes (${scopes}); say which one with ${X.requiredScope}`,
      );
    }
    if (Array.isArray(this.operation.security) && this.operation.security.length === 0) {
      return null;
    }
    throw new ToolConversionError(this.location, 'no scope under security or x-required-scope');
  }
}

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: unknown;
}

function scopesOf(requirement: unknown): string[] {
  if (!isRecord(requirement)) return [];
  return Object.values(requirement).flatMap((scopes) =>
    Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [],
  );
}

/** `application/json`, `application/problem+json` and the like. */
function jsonMedia(content: unknown): { schema?: unknown } | undefined {
  if (!isRecord(content)) return undefined;
  const key = Object.keys(content).find((type) =>
    /^application\/([\w.-]+\+)?json\s*(;.*)?$/i.test(type),
  );
  const media = key === undefined ? undefined : content[key];
  return isRecord(media) ? { schema: media.schema } : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
