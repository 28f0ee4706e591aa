import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import {
  allowsNull,
  isMapSchema,
  isObjectSchema,
  isRecord,
  JsonSchema,
  mapValueSchema,
  propertiesOf,
  requiredOf,
  unionBranches,
} from '../converter/json-schema';
import { SET_KEY } from '../converter/strict-schema';

const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

/**
 * What a model bound to the strict OpenAI schema sends for arguments that are
 * valid against the full schema: every property present (null when left
 * out), `{set: ...}` around optional nullable values, maps as `{key, value}`
 * lists. Written from the rules, not from the converter's code, so tests can
 * check the two agree.
 */
export function encodeStrictArguments(value: unknown, schema: JsonSchema): unknown {
  if (value === null || value === undefined) return null;

  const branches = unionBranches(schema);
  if (branches.length > 0) {
    const branch = branches.find((candidate) => ajv.validate(candidate, value));
    return branch === undefined ? value : encodeStrictArguments(value, branch);
  }
  if (isMapSchema(schema) && isRecord(value)) {
    const valueSchema = mapValueSchema(schema) ?? {};
    return Object.entries(value).map(([key, item]) => ({
      key,
      value: encodeStrictArguments(item, valueSchema),
    }));
  }
  if (Array.isArray(value)) {
    const items = isRecord(schema.items) ? schema.items : {};
    return value.map((item) => encodeStrictArguments(item, items));
  }
  if (isRecord(value) && isObjectSchema(schema)) {
    const required = requiredOf(schema);
    const encoded: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(propertiesOf(schema))) {
      const present = Object.prototype.hasOwnProperty.call(value, key);
      const inner = present ? encodeStrictArguments(value[key], property) : null;
      const wrap = present && !required.includes(key) && allowsNull(property);
      encoded[key] = wrap ? { [SET_KEY]: inner } : inner;
    }
    return encoded;
  }
  return value;
}
