import { isRecord, JsonSchema, propertiesOf, requiredOf, schemaTypes } from './json-schema';
import { ToolConversionError } from './tool-conversion.error';

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const MUST_AGREE = ['format', 'pattern', 'multipleOf', 'const'];

/**
 * Collapses `allOf` into one schema, because strict mode has no `allOf` and
 * Nest emits it for every annotated `$ref` and for DTO inheritance. Earlier
 * parts win for annotations; constraints are combined so the result accepts
 * exactly what every part accepts, or the build fails saying why.
 */
export function intersectSchemas(parts: JsonSchema[], location: string): JsonSchema {
  const meaningful = parts.filter((part) => Object.keys(part).length > 0);
  if (meaningful.length === 0) return {};
  return meaningful.reduce((merged, next) => intersectTwo(merged, next, location));
}

function intersectTwo(a: JsonSchema, b: JsonSchema, location: string): JsonSchema {
  const merged: JsonSchema = { ...b, ...a };

  const type = commonType(a, b, location);
  if (type !== undefined) merged.type = type;

  if (isRecord(a.properties) || isRecord(b.properties)) {
    const properties: Record<string, JsonSchema> = { ...propertiesOf(b) };
    for (const [key, schema] of Object.entries(propertiesOf(a))) {
      const other = properties[key];
      properties[key] = other ? intersectTwo(schema, other, `${location}/${key}`) : schema;
    }
    merged.properties = properties;
  }
  if (a.required !== undefined || b.required !== undefined) {
    merged.required = [...new Set([...requiredOf(a), ...requiredOf(b)])];
  }
  if (a.additionalProperties === false || b.additionalProperties === false) {
    merged.additionalProperties = false;
  } else if (isRecord(a.additionalProperties) && isRecord(b.additionalProperties)) {
    merged.additionalProperties = intersectTwo(
      a.additionalProperties,
      b.additionalProperties,
      location,
    );
  }
  if (isRecord(a.items) && isRecord(b.items)) {
    merged.items = intersectTwo(a.items, b.items, `${location}/items`);
  }

  if (Array.isArray(a.enum) && Array.isArray(b.enum)) {
    const other = b.enum.map((value) => JSON.stringify(value));
    const common = a.enum.filter((value) => other.includes(JSON.stringify(value)));
    merged.enum = common;
    if (common.length === 0) {
      throw new ToolConversionError(location, 'allOf parts allow no enum value in common');
    }
  }
  for (const key of LOWER_BOUNDS) pickBound(merged, a[key], b[key], key, Math.max);
  for (const key of UPPER_BOUNDS) pickBound(merged, a[key], b[key], key, Math.min);
  for (const key of MUST_AGREE) {
    if (a[key] !== undefined && b[key] !== undefined && !sameJson(a[key], b[key])) {
      throw new ToolConversionError(location, `allOf parts disagree on ${key}`);
    }
  }

  const unions = [a, b].filter((part) => part.anyOf !== undefined || part.oneOf !== undefined);
  if (unions.length > 1) {
    throw new ToolConversionError(location, 'allOf of two unions cannot be collapsed');
  }
  return merged;
}

function commonType(a: JsonSchema, b: JsonSchema, location: string): unknown {
  const left = schemaTypes(a);
  const right = schemaTypes(b);
  if (left.length === 0 || right.length === 0) return undefined;

  // An integer is a number, so integer and number meet at integer.
  const accepts = (types: string[], type: string) =>
    types.includes(type) || (type === 'integer' && types.includes('number'));
  const common = [
    ...left.filter((type) => accepts(right, type)),
    ...right.filter((type) => type === 'integer' && left.includes('number')),
  ];
  const unique = [...new Set(common)];
  if (unique.length === 0) {
    throw new ToolConversionError(location, `allOf parts share no type (${left} / ${right})`);
  }
  return unique.length === 1 ? unique[0] : unique;
}

function pickBound(
  merged: JsonSchema,
  left: unknown,
  right: unknown,
  key: string,
  choose: (x: number, y: number) => number,
): void {
  if (typeof left === 'number' && typeof right === 'number') merged[key] = choose(left, right);
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
