import { resolveLocalRef } from './json-pointer';
import { allowsNull, isRecord, JsonSchema, schemaTypes } from './json-schema';
import { intersectSchemas } from './schema-intersection';
import { ToolConversionError } from './tool-conversion.error';

/** Inputs omit `readOnly` properties; answers omit `writeOnly` ones (OpenAPI's rule). */
export type SchemaUsage = 'request' | 'response';

const COPIED_KEYWORDS = [
  'type',
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'description',
  'title',
  'default',
  'examples',
  'deprecated',
];

/** Keywords a tool input could not honour; an answer schema just loses them. */
const UNSUPPORTED_IN_INPUT = [
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'dependentSchemas',
  'dependentRequired',
  'prefixItems',
  'unevaluatedProperties',
  'unevaluatedItems',
];

interface Visit {
  usage: SchemaUsage;
  location: string;
  /** The `$ref`s being expanded on the way here, to spot recursion. */
  refs: string[];
}

/**
 * Turns an OpenAPI 3.0 or 3.1 schema into a self-contained JSON Schema: every
 * `$ref` inlined, `allOf` collapsed, `nullable` (3.0) as a `null` type, and
 * OpenAPI-only keywords (`example`, `xml`, `discriminator`, `x-*`) removed.
 * A recursive input schema fails the build; a recursive answer is cut at the
 * repeat, which only loosens what is documented.
 */
export class SchemaNormalizer {
  constructor(private readonly document: object) {}

  normalize(schema: unknown, usage: SchemaUsage, location: string): JsonSchema {
    return this.visit(schema, { usage, location, refs: [] });
  }

  private visit(schema: unknown, visit: Visit): JsonSchema {
    if (schema === true) return {};
    if (!isRecord(schema)) {
      throw new ToolConversionError(visit.location, 'expected a schema object');
    }

    const parts = [this.ownKeywords(schema, visit)];
    if (typeof schema.$ref === 'string') parts.push(this.expandRef(schema.$ref, visit));
    if (Array.isArray(schema.allOf)) {
      schema.allOf.forEach((part, index) => {
        parts.push(this.visit(part, { ...visit, location: `${visit.location}/allOf/${index}` }));
      });
    }

    const merged = parts.length === 1 ? parts[0] : intersectSchemas(parts, visit.location);
    return schema.nullable === true ? withNull(merged) : merged;
  }

  private expandRef(ref: string, visit: Visit): JsonSchema {
    if (visit.refs.includes(ref)) {
      const chain = [...visit.refs, ref].join(' -> ');
      if (visit.usage === 'request') {
        throw new ToolConversionError(
          visit.location,
          `recursive schema (${chain}); a tool's arguments must be finite`,
        );
      }
      return { description: `Recursive ${ref.split('/').pop()}: same shape as its parent.` };
    }

    const target = resolveLocalRef(this.document, ref, visit.location);
    return this.visit(target, { ...visit, location: ref, refs: [...visit.refs, ref] });
  }

  private ownKeywords(schema: Record<string, unknown>, visit: Visit): JsonSchema {
    const result: JsonSchema = {};
    for (const keyword of COPIED_KEYWORDS) {
      if (schema[keyword] !== undefined) result[keyword] = schema[keyword];
    }
    if (schema.example !== undefined && result.examples === undefined) {
      result.examples = [schema.example];
    }
    normalizeExclusiveBound(result, 'exclusiveMinimum', 'minimum');
    normalizeExclusiveBound(result, 'exclusiveMaximum', 'maximum');
    if (visit.usage === 'request') {
      const unsupported = UNSUPPORTED_IN_INPUT.filter((keyword) => keyword in schema);
      if (unsupported.length > 0) {
        throw new ToolConversionError(visit.location, `unsupported keyword ${unsupported[0]}`);
      }
    }

    const hidden = new Set<string>();
    if (isRecord(schema.properties)) {
      const properties: Record<string, JsonSchema> = {};
      for (const [key, property] of Object.entries(schema.properties)) {
        if (this.isHidden(property, visit)) {
          hidden.add(key);
          continue;
        }
        properties[key] = this.visit(property, {
          ...visit,
          location: `${visit.location}/properties/${key}`,
        });
      }
      result.properties = properties;
    }
    if (Array.isArray(schema.required)) {
      result.required = schema.required.filter(
        (key): key is string => typeof key === 'string' && !hidden.has(key),
      );
    }
    this.copyAdditionalProperties(schema, result, visit);
    this.copyItems(schema, result, visit);

    for (const union of ['anyOf', 'oneOf'] as const) {
      const branches = schema[union];
      if (!Array.isArray(branches)) continue;
      result[union] = branches.map((branch, index) =>
        this.visit(branch, { ...visit, location: `${visit.location}/${union}/${index}` }),
      );
    }
    return result;
  }

  private copyAdditionalProperties(
    schema: Record<string, unknown>,
    result: JsonSchema,
    visit: Visit,
  ): void {
    const extra = schema.additionalProperties;
    if (typeof extra === 'boolean') {
      result.additionalProperties = extra;
    } else if (isRecord(extra)) {
      result.additionalProperties =
        Object.keys(extra).length === 0
          ? true
          : this.visit(extra, { ...visit, location: `${visit.location}/additionalProperties` });
    }
  }

  private copyItems(schema: Record<string, unknown>, result: JsonSchema, visit: Visit): void {
    const items = schema.items;
    if (Array.isArray(items)) {
      throw new ToolConversionError(visit.location, 'tuple-form items are not supported');
    }
    if (items !== undefined) {
      result.items = this.visit(items, { ...visit, location: `${visit.location}/items` });
    }
  }

  /** `readOnly` on an input property (or `writeOnly` on an answer) drops it. */
  private isHidden(property: unknown, visit: Visit): boolean {
    const flag = visit.usage === 'request' ? 'readOnly' : 'writeOnly';
    if (!isRecord(property)) return false;
    if (property[flag] === true) return true;
    if (typeof property.$ref !== 'string' || visit.refs.includes(property.$ref)) return false;
    const target = resolveLocalRef(this.document, property.$ref, visit.location);
    return isRecord(target) && target[flag] === true;
  }
}

/** OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; 2020-12 a number. */
function normalizeExclusiveBound(schema: JsonSchema, exclusive: string, inclusive: string): void {
  if (schema[exclusive] === true && typeof schema[inclusive] === 'number') {
    schema[exclusive] = schema[inclusive];
    delete schema[inclusive];
  } else if (typeof schema[exclusive] === 'boolean') {
    delete schema[exclusive];
  }
}

/** Adds `null` to what a schema accepts, in the form the schema already uses. */
export function withNull(schema: JsonSchema): JsonSchema {
  if (allowsNull(schema)) return schema;

  const types = schemaTypes(schema);
  const result: JsonSchema = { ...schema };
  if (Array.isArray(schema.enum)) result.enum = [...schema.enum, null];
  if (types.length > 0 && schema.const === undefined) {
    result.type = [...types, 'null'];
    return result;
  }
  if (Array.isArray(schema.enum) && schema.const === undefined) return result;

  for (const union of ['anyOf', 'oneOf'] as const) {
    const branches = schema[union];
    if (Array.isArray(branches)) return { ...schema, [union]: [...branches, { type: 'null' }] };
  }
  const { description, ...rest } = schema;
  return description === undefined
    ? { anyOf: [rest, { type: 'null' }] }
    : { description, anyOf: [rest, { type: 'null' }] };
}
