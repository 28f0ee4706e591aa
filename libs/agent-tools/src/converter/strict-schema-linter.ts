import { isRecord, JsonSchema, schemaTypes } from './json-schema';
import { STRICT_STRING_FORMATS } from './strict-schema';
import { OpenAiTool } from './tool-definition';
import { TOOL_NAME_PATTERN } from './tool-name';

export type StrictLintRule =
  | 'root-not-object'
  | 'object-not-closed'
  | 'property-not-required'
  | 'required-not-declared'
  | 'unsupported-keyword'
  | 'unsupported-format'
  | 'unsupported-pattern'
  | 'missing-type'
  | 'unknown-type'
  | 'composite-type-union'
  | 'not-a-schema'
  | 'unresolved-ref'
  | 'too-deep'
  | 'too-many-properties'
  | 'too-many-enum-values'
  | 'invalid-name'
  | 'not-strict';

export interface StrictLintIssue {
  /** JSON Pointer to the offending subschema, `#` for the root. */
  path: string;
  rule: StrictLintRule;
  message: string;
}

/** Limits OpenAI documents for one strict schema. */
export const STRICT_LIMITS = { depth: 10, properties: 5000, enumValues: 1000 };

const ALLOWED_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'const',
  'description',
  'title',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  '$ref',
  '$defs',
  'definitions',
]);

const KNOWN_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** Schema-valued keywords walked even when they are themselves not allowed. */
const SINGLE_CHILDREN = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains'];
const LIST_CHILDREN = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const MAP_CHILDREN = ['properties', '$defs', 'definitions', 'patternProperties'];

/** Lookarounds and back-references: outside the regex subset strict mode accepts. */
const UNSUPPORTED_REGEX = /\(\?[=!<]|\\[1-9]|\\k</;

/**
 * Checks a schema against OpenAI's strict-mode rules, walking every subschema
 * (properties, items, unions, definitions, additionalProperties). An empty
 * list means the schema can be sent with `strict: true`.
 */
export function lintStrictSchema(schema: unknown): StrictLintIssue[] {
  const linter = new Linter(schema);
  linter.run();
  return linter.issues;
}

/** The schema rules plus what the tool around it needs (name, `strict`). */
export function lintOpenAiTool(tool: OpenAiTool): StrictLintIssue[] {
  const issues = lintStrictSchema(tool.function.parameters);
  if (!TOOL_NAME_PATTERN.test(tool.function.name)) {
    issues.push({ path: '#', rule: 'invalid-name', message: `bad name ${tool.function.name}` });
  }
  if (tool.function.strict !== true) {
    issues.push({ path: '#', rule: 'not-strict', message: 'strict must be true' });
  }
  return issues;
}

class Linter {
  readonly issues: StrictLintIssue[] = [];
  private propertyCount = 0;
  private enumCount = 0;

  constructor(private readonly root: unknown) {}

  run(): void {
    if (!isRecord(this.root) || this.root.type !== 'object' || 'anyOf' in this.root) {
      this.report('#', 'root-not-object', 'the root must be a plain object schema');
    }
    this.visit(this.root, '#', 0);

    if (this.propertyCount > STRICT_LIMITS.properties) {
      this.report('#', 'too-many-properties', `${this.propertyCount} properties in total`);
    }
    if (this.enumCount > STRICT_LIMITS.enumValues) {
      this.report('#', 'too-many-enum-values', `${this.enumCount} enum values in total`);
    }
  }

  private visit(schema: unknown, path: string, depth: number): void {
    if (!isRecord(schema)) {
      this.report(path, 'not-a-schema', 'every subschema must be an object');
      return;
    }

    for (const keyword of Object.keys(schema)) {
      if (!ALLOWED_KEYWORDS.has(keyword)) {
        this.report(path, 'unsupported-keyword', `${keyword} is not supported in strict mode`);
      }
    }
    this.checkType(schema, path);
    this.checkString(schema, path);
    this.checkRef(schema, path);
    if (Array.isArray(schema.enum)) this.enumCount += schema.enum.length;

    const isObject = schemaTypes(schema).includes('object') || isRecord(schema.properties);
    const objectDepth = isObject ? depth + 1 : depth;
    if (isObject) this.checkObject(schema, path, objectDepth);

    this.visitChildren(schema, path, objectDepth);
  }

  private checkType(schema: JsonSchema, path: string): void {
    const types = schemaTypes(schema);
    const typed = types.length > 0 || 'anyOf' in schema || '$ref' in schema;
    if (!typed && !('enum' in schema) && !('const' in schema)) {
      this.report(path, 'missing-type', 'every subschema needs a type (or anyOf, enum, const)');
    }
    for (const type of types) {
      if (!KNOWN_TYPES.has(type)) this.report(path, 'unknown-type', `unknown type ${type}`);
    }
    const composite = types.filter((type) => type === 'object' || type === 'array');
    if (types.length > 1 && composite.length > 0) {
      this.report(path, 'composite-type-union', 'use anyOf to union objects or arrays');
    }
  }

  private checkString(schema: JsonSchema, path: string): void {
    if (typeof schema.format === 'string' && !STRICT_STRING_FORMATS.has(schema.format)) {
      this.report(path, 'unsupported-format', `format ${schema.format} is not supported`);
    }
    if (typeof schema.pattern === 'string' && UNSUPPORTED_REGEX.test(schema.pattern)) {
      this.report(path, 'unsupported-pattern', 'lookarounds and back-references are not supported');
    }
  }

  private checkRef(schema: JsonSchema, path: string): void {
    if (typeof schema.$ref !== 'string') return;
    if (!resolves(this.root, schema.$ref)) {
      this.report(path, 'unresolved-ref', `${schema.$ref} does not resolve inside the schema`);
    }
  }

  private checkObject(schema: JsonSchema, path: string, depth: number): void {
    if (depth > STRICT_LIMITS.depth) {
      this.report(path, 'too-deep', `objects nest ${depth} deep, at most ${STRICT_LIMITS.depth}`);
    }
    if (schema.additionalProperties !== false) {
      this.report(path, 'object-not-closed', 'objects need additionalProperties: false');
    }

    const properties = isRecord(schema.properties) ? Object.keys(schema.properties) : [];
    this.propertyCount += properties.length;
    const required = Array.isArray(schema.required) ? schema.required : [];
    if (!isRecord(schema.properties)) {
      this.report(path, 'object-not-closed', 'objects need their properties listed');
    }
    for (const key of properties) {
      if (!required.includes(key)) {
        this.report(
          `${path}/properties/${escape(key)}`,
          'property-not-required',
          `${key} is not in required`,
        );
      }
    }
    for (const key of required) {
      if (typeof key !== 'string' || !properties.includes(key)) {
        this.report(path, 'required-not-declared', `${String(key)} is required but not declared`);
      }
    }
  }

  private visitChildren(schema: JsonSchema, path: string, depth: number): void {
    for (const keyword of SINGLE_CHILDREN) {
      const child = schema[keyword];
      if (isRecord(child)) this.visit(child, `${path}/${keyword}`, depth);
    }
    for (const keyword of LIST_CHILDREN) {
      const children = schema[keyword];
      if (Array.isArray(children)) {
        children.forEach((child, index) => this.visit(child, `${path}/${keyword}/${index}`, depth));
      }
    }
    for (const keyword of MAP_CHILDREN) {
      const children = schema[keyword];
      if (!isRecord(children)) continue;
      for (const [key, child] of Object.entries(children)) {
        this.visit(child, `${path}/${keyword}/${escape(key)}`, depth);
      }
    }
    if (Array.isArray(schema.items)) {
      this.report(path, 'unsupported-keyword', 'tuple-form items are not supported');
    }
  }

  private report(path: string, rule: StrictLintRule, message: string): void {
    this.issues.push({ path, rule, message });
  }
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolves(root: unknown, ref: string): boolean {
  if (ref === '#') return true;
  if (!ref.startsWith('#/')) return false;

  let current = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(current) || !Object.prototype.hasOwnProperty.call(current, key)) return false;
    current = current[key];
  }
  return isRecord(current);
}
