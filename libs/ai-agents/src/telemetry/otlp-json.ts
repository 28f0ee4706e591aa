/**
 * The parts of OTLP/JSON (ExportTraceServiceRequest) that telemetry reads.
 * In OTLP/JSON, ids are hex, 64-bit integers may be strings, and enums may be
 * numbers or their names.
 */
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

export type AttributeValue = string | number | boolean | null | AttributeValue[];

/** Attributes by key; kvlists are flattened to JSON text, which nothing here reads. */
export function decodeAttributes(list: unknown): Map<string, AttributeValue> {
  const attributes = new Map<string, AttributeValue>();
  if (!Array.isArray(list)) return attributes;

  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.key !== 'string') continue;
    attributes.set(entry.key, decodeValue(entry.value));
  }
  return attributes;
}

export function decodeValue(value: unknown): AttributeValue {
  if (!isRecord(value)) return null;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if (value.intValue !== undefined) return toNumber(value.intValue);
  if (value.doubleValue !== undefined) return toNumber(value.doubleValue);
  if (isRecord(value.arrayValue)) {
    const values = value.arrayValue.values;
    return Array.isArray(values) ? values.map(decodeValue) : [];
  }
  if (value.kvlistValue !== undefined) return JSON.stringify(value.kvlistValue);
  if (typeof value.bytesValue === 'string') return value.bytesValue;
  return null;
}

function toNumber(value: unknown): number | null {
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
