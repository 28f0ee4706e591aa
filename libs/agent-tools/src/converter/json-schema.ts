/**
 * A JSON Schema as plain data. Documents arrive as parsed JSON, so every
 * keyword is read defensively rather than trusted to a declared shape.
 */
export type JsonSchema = { [keyword: string]: unknown };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `type` keyword as a list; empty when the schema does not constrain it. */
export function schemaTypes(schema: JsonSchema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

export function unionBranches(schema: JsonSchema): JsonSchema[] {
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf;
  return Array.isArray(branches) ? branches.filter(isRecord) : [];
}

/** Whether `null` is an accepted value. */
export function allowsNull(schema: JsonSchema): boolean {
  if (schema.const === null) return true;
  if (Array.isArray(schema.enum)) return schema.enum.includes(null);
  const types = schemaTypes(schema);
  if (types.length > 0) return types.includes('null');
  const branches = unionBranches(schema);
  if (branches.length > 0) return branches.some(allowsNull);
  return schema.const === undefined;
}

export function isObjectSchema(schema: JsonSchema): boolean {
  return schemaTypes(schema).includes('object') || isRecord(schema.properties);
}

export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  if (!isRecord(properties)) return {};
  const result: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (isRecord(value)) result[key] = value;
  }
  return result;
}

export function requiredOf(schema: JsonSchema): string[] {
  const required = schema.required;
  return Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * An object whose keys are data, not fields: `{type: object}` with no declared
 * properties and extra properties allowed (OpenAPI's default).
 */
export function isMapSchema(schema: JsonSchema): boolean {
  if (!isObjectSchema(schema)) return false;
  if (Object.keys(propertiesOf(schema)).length > 0) return false;
  return schema.additionalProperties !== false;
}

/** The schema of a map's values, or undefined when values are free-form. */
export function mapValueSchema(schema: JsonSchema): JsonSchema | undefined {
  const extra = schema.additionalProperties;
  if (!isRecord(extra) || Object.keys(extra).length === 0) return undefined;
  return extra;
}
