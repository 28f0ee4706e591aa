import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { resolveLocalRef } from '../converter/json-pointer';
import { isRecord } from '../converter/json-schema';
import { OpenApiDocument } from '../converter/openapi-document';

export interface HttpRequestLike {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface Located {
  pointer: string;
  value: unknown;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const AJV_OPTIONS = { strict: false, allErrors: true, validateSchema: false };
const GUARDRAIL_HEADERS = ['idempotency-key', 'x-agent-id', 'x-conversation-id'];

/**
 * Checks a request against the OpenAPI document the way a strict server
 * would, independently of the converter: it reads the document itself and
 * validates with Ajv against the original schemas, `$ref`s and all. Returns
 * the problems found; empty means the request fits its operation.
 */
export class OpenApiRequestValidator {
  /** Path, query and header values are strings on the wire, so those are coerced. */
  private readonly coercing = withDocument(new Ajv2020({ ...AJV_OPTIONS, coerceTypes: 'array' }));
  private readonly exact = withDocument(new Ajv2020(AJV_OPTIONS));
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.coercing.addSchema(document, 'https://openapi.invalid/document.json');
    this.exact.addSchema(document, 'https://openapi.invalid/document.json');
  }

  validate(request: HttpRequestLike): string[] {
    const url = new URL(request.url);
    const match = this.findOperation(request.method, url.pathname);
    if (match === undefined) return [`no operation for ${request.method} ${url.pathname}`];

    const problems: string[] = [];
    const headers = lowerCaseKeys(request.headers);
    for (const parameter of this.parameters(match)) {
      const value = isRecord(parameter.value) ? parameter.value : {};
      const name = String(value.name);
      const schema = `${parameter.pointer}/schema`;
      if (value.in === 'path') {
        this.check(problems, `path ${name}`, schema, match.pathValues[name]);
      } else if (value.in === 'query') {
        const values = url.searchParams.getAll(name);
        if (values.length === 0 && value.required === true) problems.push(`query ${name} missing`);
        if (values.length > 0) {
          this.check(problems, `query ${name}`, schema, values.length === 1 ? values[0] : values);
        }
      } else if (value.in === 'header') {
        const header = headers[name.toLowerCase()];
        const needed = value.required === true || GUARDRAIL_HEADERS.includes(name.toLowerCase());
        if (header === undefined && needed) problems.push(`header ${name} missing`);
        if (header !== undefined) this.check(problems, `header ${name}`, schema, header);
      }
    }
    problems.push(...this.unknownQuery(url, match));
    problems.push(...this.checkAuthorization(headers, match));
    problems.push(...this.checkBody(request, headers, match));
    return problems;
  }

  private findOperation(method: string, pathname: string): OperationMatch | undefined {
    const paths = isRecord(this.document.paths) ? this.document.paths : {};
    const verb = method.toLowerCase();
    for (const template of Object.keys(paths)) {
      const names: string[] = [];
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const param = /^\{([^}]+)\}$/.exec(part);
          if (param === null) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1]);
          return '([^/]+)';
        })
        .join('');
      const found = new RegExp(`^${source}$`).exec(pathname);
      const item = paths[template];
      if (found === null || !isRecord(item) || !METHODS.includes(verb) || !isRecord(item[verb])) {
        continue;
      }

      const pathValues: Record<string, string> = {};
      names.forEach((name, index) => {
        pathValues[name] = decodeURIComponent(found[index + 1]);
      });
      const pointer = `#/paths/${escape(template)}`;
      return { pointer, operationPointer: `${pointer}/${verb}`, pathValues };
    }
    return undefined;
  }

  private parameters(match: OperationMatch): Located[] {
    const byKey = new Map<string, Located>();
    for (const base of [match.pointer, match.operationPointer]) {
      const list = this.optional(`${base}/parameters`);
      if (!Array.isArray(list)) continue;
      list.forEach((_item, index) => {
        const parameter = this.follow(`${base}/parameters/${index}`);
        const value = isRecord(parameter.value) ? parameter.value : {};
        byKey.set(`${String(value.in)}:${String(value.name)}`, parameter);
      });
    }
    return [...byKey.values()];
  }

  private unknownQuery(url: URL, match: OperationMatch): string[] {
    const declared = this.parameters(match)
      .map((parameter) => (isRecord(parameter.value) ? parameter.value : {}))
      .filter((value) => value.in === 'query')
      .map((value) => value.name);
    return [...new Set(url.searchParams.keys())]
      .filter((key) => !declared.includes(key))
      .map((key) => `query ${key} is not declared`);
  }

  private checkAuthorization(headers: Record<string, string>, match: OperationMatch): string[] {
    const operation = this.at(match.operationPointer);
    const security =
      isRecord(operation) && Array.isArray(operation.security) ? operation.security : [];
    if (security.length === 0) return [];
    return /^Bearer \S+$/.test(headers.authorization ?? '') ? [] : ['no bearer token'];
  }

  private checkBody(
    request: HttpRequestLike,
    headers: Record<string, string>,
    match: OperationMatch,
  ): string[] {
    const operation = this.at(match.operationPointer);
    if (!isRecord(operation) || operation.requestBody === undefined) {
      return request.body === undefined ? [] : ['a body was sent to an operation without one'];
    }

    const body = this.follow(`${match.operationPointer}/requestBody`);
    const required = isRecord(body.value) && body.value.required === true;
    if (request.body === undefined) return required ? ['the required body is missing'] : [];
    if (headers['content-type'] !== 'application/json') return ['content-type is not JSON'];

    const problems: string[] = [];
    const schema = `${body.pointer}/content/${escape('application/json')}/schema`;
    this.check(problems, 'body', schema, JSON.parse(request.body), false);
    return problems;
  }

  /** Validates a value against the schema at a pointer; strings from the URL are coerced. */
  private check(
    problems: string[],
    what: string,
    pointer: string,
    value: unknown,
    coerce = true,
  ): void {
    const key = `${coerce}:${pointer}`;
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      const ref = { $ref: `https://openapi.invalid/document.json${pointer}` };
      validate = coerce
        ? this.coercing.compile({ type: 'object', properties: { value: ref }, required: ['value'] })
        : this.exact.compile(ref);
      this.compiled.set(key, validate);
    }

    const data = coerce ? { value } : value;
    if (!validate(data)) {
      const detail = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
      problems.push(`${what}: ${detail.join('; ')} (got ${JSON.stringify(value)})`);
    }
  }

  private optional(pointer: string): unknown {
    try {
      return this.at(pointer);
    } catch {
      return undefined;
    }
  }

  private at(pointer: string): unknown {
    return resolveLocalRef(this.document, pointer, 'fixture');
  }

  private follow(pointer: string): Located {
    let located: Located = { pointer, value: this.at(pointer) };
    while (isRecord(located.value) && typeof located.value.$ref === 'string') {
      const next = located.value.$ref;
      located = { pointer: next, value: this.at(next) };
    }
    return located;
  }
}

interface OperationMatch {
  pointer: string;
  operationPointer: string;
  pathValues: Record<string, string>;
}

function withDocument(ajv: Ajv2020): Ajv2020 {
  addFormats(ajv);
  return ajv;
}

/** A JSON Pointer token, percent-encoded for use in a URI fragment. */
function escape(token: string): string {
  return encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]),
  );
}
