import fc from 'fast-check';

import {
  isMapSchema,
  isRecord,
  JsonSchema,
  mapValueSchema,
  propertiesOf,
  requiredOf,
  schemaTypes,
  unionBranches,
} from '../converter/json-schema';

/** Small sizes keep a property run fast; bounds in the schema still win. */
const MAX_STRING = 16;
const MAX_ITEMS = 3;
const MAX_KEYS = 3;

/** Characters that mean something in a URL or a query, mixed into every plain string. */
const AWKWARD = ['/', '?', '#', '%', '&', '=', '+', ' ', '.', '~', ':', '@', '"', '\\'];

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Values valid against a schema, for the subset the converter emits: types
 * and type lists, enum, const, anyOf / oneOf with disjoint branches, objects
 * with required and optional properties, maps, arrays and their bounds,
 * string formats (uuid, date-time, date, email, uri), patterns and lengths,
 * and number bounds. Strings mix any Unicode code point with characters that
 * mean something in a URL, so encoding is tested too. Free-form map values
 * are scalars: strict mode carries no more.
 */
export function arbitraryFromSchema(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);

  const branches = unionBranches(schema);
  if (branches.length > 0) return fc.oneof(...branches.map(arbitraryFromSchema));

  const types = schemaTypes(schema);
  if (types.length === 0) {
    return isRecord(schema.properties) ? objectArbitrary(schema) : scalarArbitrary();
  }
  return fc.oneof(...types.map((type) => arbitraryOfType(schema, type)));
}

function arbitraryOfType(schema: JsonSchema, type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: bound(schema, 'minimum', 'exclusiveMinimum', 1) ?? -1_000_000,
        max: bound(schema, 'maximum', 'exclusiveMaximum', -1) ?? 1_000_000,
      });
    case 'number':
      return numberArbitrary(schema);
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return arrayArbitrary(schema);
    case 'object':
      return isMapSchema(schema) ? mapArbitrary(schema) : objectArbitrary(schema);
    default:
      throw new Error(`no arbitrary for type ${type}`);
  }
}

function bound(schema: JsonSchema, inclusive: string, exclusive: string, step: number) {
  const including = schema[inclusive];
  const excluding = schema[exclusive];
  if (typeof including === 'number') return Math.ceil(including * step) / step;
  if (typeof excluding === 'number') return Math.floor(excluding) + step;
  return undefined;
}

function numberArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1e9;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1e9;
  // -0 does not survive JSON, and the API never sees it.
  return fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .map((value) => (Object.is(value, -0) ? 0 : value));
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const fits = (value: string) => {
    const length = [...value].length;
    return length >= minLength && length <= maxLength;
  };

  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return dateArbitrary().map((date) => date.toISOString());
    case 'date':
      return dateArbitrary().map((date) => date.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
      return fc.webUrl().filter(fits);
  }
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  const unit = fc.oneof(
    fc.constantFrom(...AWKWARD),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  return fc
    .string({ unit, minLength, maxLength: Math.min(maxLength, minLength + MAX_STRING) })
    .filter((value) => !LONE_SURROGATE.test(value));
}

function dateArbitrary(): fc.Arbitrary<Date> {
  return fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
}

function arrayArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const items = isRecord(schema.items) ? arbitraryFromSchema(schema.items) : scalarArbitrary();
  const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const maxLength = Math.min(maxItems, minLength + MAX_ITEMS);
  return schema.uniqueItems === true
    ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
    : fc.array(items, { minLength, maxLength });
}

function mapArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const valueSchema = mapValueSchema(schema);
  const values = valueSchema === undefined ? scalarArbitrary() : arbitraryFromSchema(valueSchema);
  return fc.dictionary(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), values, {
    maxKeys: MAX_KEYS,
  });
}

function objectArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(propertiesOf(schema))) {
    model[key] = arbitraryFromSchema(property);
  }
  const required = requiredOf(schema).filter((key) => key in model);
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  return fc
    .record(model, { requiredKeys: required })
    .filter((value) => Object.keys(value).length >= minProperties);
}

function scalarArbitrary(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: MAX_STRING }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
}
