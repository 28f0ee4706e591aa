import {
  allowsNull,
  isMapSchema,
  isRecord,
  JsonSchema,
  mapValueSchema,
  propertiesOf,
  requiredOf,
  schemaTypes,
  unionBranches,
} from './json-schema';
import { ObjectJsonSchema } from './tool-definition';

/** The string formats OpenAI strict mode accepts; others become words. */
export const STRICT_STRING_FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);

const KEPT_BY_TYPE: Record<string, string[]> = {
  string: ['pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['minItems', 'maxItems'],
};

export const OPTIONAL_NOTE = 'Optional: null leaves it out.';
export const SET_KEY = 'set';
export const SET_NOTE =
  'Optional: null leaves it out; to send it, wrap the value as {"set": value}, ' +
  'where {"set": null} sends null.';
export const MAP_NOTE = 'Given as a list of {key, value} entries, one per key.';
export const SCALAR_NOTE = 'Values are strings, numbers, booleans or null.';

/**
 * Rewrites a tool's argument schema into what OpenAI strict mode accepts:
 * every object closed with every property required, optional properties as a
 * union with null, `oneOf` as `anyOf`, and only the keywords strict mode
 * supports. Constraints it cannot carry (lengths, `uniqueItems`, `uri`) are
 * stated in the description instead; the runtime still checks them.
 *
 * A map (`additionalProperties` with no declared properties) cannot be
 * expressed as a closed object, so it becomes a list of `{key, value}`
 * entries; free-form values are limited to scalars. The runtime turns the
 * entries back into an object.
 */
export function toStrictSchema(schema: ObjectJsonSchema): ObjectJsonSchema {
  const strict = strictObject(schema);
  return {
    type: 'object',
    ...(schema.description === undefined ? {} : { description: schema.description }),
    properties: strict.properties,
    required: strict.required,
    additionalProperties: false,
  };
}

function toStrict(schema: JsonSchema): JsonSchema {
  const notes = droppedConstraintNotes(schema);

  const branches = unionBranches(schema);
  if (branches.length > 0) {
    const anyOf = branches.map(toStrict).flatMap((branch) => nestedBranches(branch));
    return describe({ anyOf: dedupeNull(anyOf) }, schema.description, notes);
  }

  const types = schemaTypes(schema);
  const nullable = types.includes('null');
  const concrete = types.length > 0 ? types.filter((type) => type !== 'null') : inferTypes(schema);

  let base: JsonSchema;
  if (isMapSchema(schema)) {
    base = mapAsEntries(schema);
  } else if (concrete.length === 0) {
    base = nullable ? { type: 'null' } : scalarValue();
    if (!nullable) notes.push(SCALAR_NOTE);
  } else if (concrete.length === 1) {
    base = strictOfType(schema, concrete[0]);
  } else {
    base = { anyOf: concrete.map((type) => strictOfType(schema, type)) };
  }

  const described = describe(base, schema.description, notes);
  return nullable ? strictNullable(described) : described;
}

function strictOfType(schema: JsonSchema, type: string): JsonSchema {
  if (type === 'object') return strictObject(schema);

  const result: JsonSchema = { type };
  for (const keyword of KEPT_BY_TYPE[type] ?? []) {
    if (schema[keyword] !== undefined) result[keyword] = schema[keyword];
  }
  if (type === 'string' && typeof schema.format === 'string') {
    if (STRICT_STRING_FORMATS.has(schema.format)) result.format = schema.format;
  }
  if (Array.isArray(schema.enum)) {
    result.enum = schema.enum.filter((value) => {
      const valueType = jsonTypeOf(value);
      return valueType === type || (type === 'number' && valueType === 'integer');
    });
  }
  if (schema.const !== undefined) result.const = schema.const;
  if (type === 'array') {
    result.items = isRecord(schema.items) ? toStrict(schema.items) : scalarValue();
  }
  return result;
}

function strictObject(schema: JsonSchema): ObjectJsonSchema {
  const required = requiredOf(schema);
  const properties: Record<string, JsonSchema> = {};
  for (const [key, property] of Object.entries(propertiesOf(schema))) {
    const strict = toStrict(property);
    if (required.includes(key)) {
      properties[key] = strict;
    } else if (allowsNull(property)) {
      properties[key] = strictNullable(setWrapper(strict));
    } else {
      properties[key] = strictNullable(describe(strict, undefined, [OPTIONAL_NOTE]));
    }
  }
  return {
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

/**
 * An optional property that may also be null has three states (left out,
 * null, a value) where strict mode has two, and on a PATCH "left out" and
 * "null" differ (keep vs clear). So null leaves it out and `{set: ...}`
 * carries a value, null included.
 */
function setWrapper(strict: JsonSchema): JsonSchema {
  const { description, ...value } = strict;
  return describe(
    {
      type: 'object',
      properties: { [SET_KEY]: value },
      required: [SET_KEY],
      additionalProperties: false,
    },
    description,
    [SET_NOTE],
  );
}

/** A map as `[{key, value}]`, the one shape strict mode can carry for it. */
function mapAsEntries(schema: JsonSchema): JsonSchema {
  const valueSchema = mapValueSchema(schema);
  const value = valueSchema === undefined ? scalarValue() : toStrict(valueSchema);
  const notes = valueSchema === undefined ? [MAP_NOTE, SCALAR_NOTE] : [MAP_NOTE];
  return describe(
    {
      type: 'array',
      items: {
        type: 'object',
        properties: { key: { type: 'string' }, value },
        required: ['key', 'value'],
        additionalProperties: false,
      },
    },
    undefined,
    notes,
  );
}

function scalarValue(): JsonSchema {
  return {
    anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
  };
}

/** Adds null as an accepted value, keeping the union flat. */
export function strictNullable(schema: JsonSchema): JsonSchema {
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf.filter(isRecord) : undefined;
  if (branches !== undefined) {
    if (branches.some((branch) => branch.type === 'null')) return schema;
    return { ...schema, anyOf: [...branches, { type: 'null' }] };
  }

  const type = schema.type;
  if (Array.isArray(type)) {
    return type.includes('null') ? schema : { ...schema, type: [...type, 'null'] };
  }
  const scalar = type === 'string' || type === 'number' || type === 'integer' || type === 'boolean';
  if (scalar && schema.enum === undefined && schema.const === undefined) {
    return { ...schema, type: [type, 'null'] };
  }
  if (type === 'null') return schema;

  const { description, ...rest } = schema;
  return describe({ anyOf: [rest, { type: 'null' }] }, description, []);
}

/** Constraints strict mode rejects, said in words so the model still sees them. */
function droppedConstraintNotes(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const { minLength, maxLength } = schema;
  if (typeof minLength === 'number' && typeof maxLength === 'number') {
    notes.push(`${minLength} to ${maxLength} characters.`);
  } else if (typeof maxLength === 'number') {
    notes.push(`At most ${maxLength} characters.`);
  } else if (typeof minLength === 'number' && minLength > 0) {
    notes.push(`At least ${minLength} characters.`);
  }
  if (typeof schema.format === 'string' && !STRICT_STRING_FORMATS.has(schema.format)) {
    notes.push(`Format: ${schema.format}.`);
  }
  if (schema.uniqueItems === true) notes.push('Items must be unique.');
  if (typeof schema.minProperties === 'number' && schema.minProperties > 0) {
    notes.push(`Give at least ${schema.minProperties} of these fields.`);
  }
  if (typeof schema.maxProperties === 'number') {
    notes.push(`At most ${schema.maxProperties} keys.`);
  }
  if (schema.default !== undefined) notes.push(`Default: ${JSON.stringify(schema.default)}.`);
  return notes;
}

function describe(schema: JsonSchema, description: unknown, notes: string[]): JsonSchema {
  const existing = typeof schema.description === 'string' ? schema.description : undefined;
  const own = typeof description === 'string' ? description : undefined;
  const text = [own, existing, ...notes]
    .filter((part): part is string => part !== undefined && part.length > 0)
    .map((part) => (/[.!?]$/.test(part) ? part : `${part}.`))
    .join(' ');
  return text.length === 0 ? schema : { ...schema, description: text };
}

function nestedBranches(schema: JsonSchema): JsonSchema[] {
  const keys = Object.keys(schema);
  const onlyUnion = keys.every((key) => key === 'anyOf');
  return onlyUnion && Array.isArray(schema.anyOf) ? schema.anyOf.filter(isRecord) : [schema];
}

function dedupeNull(branches: JsonSchema[]): JsonSchema[] {
  const nonNull = branches.filter((branch) => branch.type !== 'null');
  return nonNull.length === branches.length ? branches : [...nonNull, { type: 'null' }];
}

/** `enum` and `const` without `type`: strict mode wants the type said. */
function inferTypes(schema: JsonSchema): string[] {
  const values = Array.isArray(schema.enum)
    ? schema.enum
    : schema.const === undefined
      ? []
      : [schema.const];
  const types = values.map(jsonTypeOf);
  return [...new Set(types)].filter((type) =>
    ['string', 'integer', 'number', 'boolean'].includes(type),
  );
}

/** The JSON Schema type of a literal, integers apart from other numbers. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
