import {
  allowsNull,
  isMapSchema,
  isObjectSchema,
  isRecord,
  JsonSchema,
  mapValueSchema,
  propertiesOf,
  requiredOf,
  schemaTypes,
  unionBranches,
} from '../converter/json-schema';
import { SET_KEY } from '../converter/strict-schema';
import { ArgumentEncoding } from './tool-call';
import { ToolRuntimeError } from './tool-runtime.error';

/**
 * Turns a model's arguments back into what the API takes, guided by the
 * tool's full input schema:
 * - an optional property given null is left out (strict mode cannot omit);
 * - a map sent as `[{key, value}]` becomes an object again;
 * - in strict encoding, `{set: value}` on an optional nullable property
 *   becomes the value, so `{set: null}` sends null.
 * Anything else passes through for the schema check to judge.
 */
export function decodeArguments(
  value: unknown,
  schema: JsonSchema,
  encoding: ArgumentEncoding,
): unknown {
  return new Decoder(encoding === 'strict').decode(value, schema, '');
}

class Decoder {
  constructor(private readonly strict: boolean) {}

  decode(value: unknown, schema: JsonSchema, at: string): unknown {
    if (value === null || value === undefined) return value;

    const branch = pickBranch(value, schema);
    if (isMapSchema(branch)) return this.decodeMap(value, branch, at);
    if (Array.isArray(value)) {
      const items = isRecord(branch.items) ? branch.items : {};
      return value.map((item, index) => this.decode(item, items, `${at}/${index}`));
    }
    if (isRecord(value) && isObjectSchema(branch)) return this.decodeObject(value, branch, at);
    return value;
  }

  private decodeObject(value: Record<string, unknown>, schema: JsonSchema, at: string): unknown {
    const properties = propertiesOf(schema);
    const required = requiredOf(schema);
    const extra = isRecord(schema.additionalProperties) ? schema.additionalProperties : {};

    const entries: [string, unknown][] = [];
    for (const [key, raw] of Object.entries(value)) {
      const property = properties[key];
      const where = `${at}/${key}`;
      if (property === undefined) {
        entries.push([key, this.decode(raw, extra, where)]);
        continue;
      }

      const optional = !required.includes(key);
      const nullable = allowsNull(property);
      if (optional && raw === null && (this.strict || !nullable)) continue;
      const inner = this.strict && optional && nullable && isSetWrapper(raw) ? raw[SET_KEY] : raw;
      entries.push([key, this.decode(inner, property, where)]);
    }
    // fromEntries defines own properties, so a key like "__proto__" stays data.
    return Object.fromEntries(entries);
  }

  private decodeMap(value: unknown, schema: JsonSchema, at: string): unknown {
    const valueSchema = mapValueSchema(schema) ?? {};
    if (isRecord(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.decode(item, valueSchema, at)]),
      );
    }
    if (!Array.isArray(value) || !value.every(isEntry)) return value;

    const seen = new Set<string>();
    const entries: [string, unknown][] = [];
    for (const entry of value) {
      if (seen.has(entry.key)) {
        throw new ToolRuntimeError('invalid_arguments', `${at || '/'}: key "${entry.key}" twice`, {
          path: at,
          key: entry.key,
        });
      }
      seen.add(entry.key);
      entries.push([entry.key, this.decode(entry.value, valueSchema, `${at}/${entry.key}`)]);
    }
    return Object.fromEntries(entries);
  }
}

function isSetWrapper(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && Object.keys(value).length === 1 && SET_KEY in value;
}

function isEntry(value: unknown): value is { key: string; value: unknown } {
  return (
    isRecord(value) &&
    typeof value.key === 'string' &&
    'value' in value &&
    Object.keys(value).length === 2
  );
}

/** The union branch a value was meant for: by JSON type, then by property names. */
function pickBranch(value: unknown, schema: JsonSchema): JsonSchema {
  const branches = unionBranches(schema);
  if (branches.length === 0) return schema;

  const candidates = branches.filter((branch) => accepts(branch, value));
  if (candidates.length <= 1 || !isRecord(value)) return candidates[0] ?? schema;
  const keys = Object.keys(value).filter((key) => value[key] !== null);
  const fitting = candidates.find((branch) => {
    const declared = Object.keys(propertiesOf(branch));
    return keys.every((key) => declared.includes(key));
  });
  return fitting ?? candidates[0];
}

function accepts(schema: JsonSchema, value: unknown): boolean {
  const nested = unionBranches(schema);
  if (nested.length > 0) return nested.some((branch) => accepts(branch, value));

  const types = schemaTypes(schema);
  if (types.length === 0) return true;
  if (Array.isArray(value)) return types.includes('array') || isMapSchema(schema);
  if (value === null) return types.includes('null');
  if (typeof value === 'object') return types.includes('object');
  if (typeof value === 'number') {
    return types.includes('number') || (types.includes('integer') && Number.isInteger(value));
  }
  return types.includes(typeof value);
}
