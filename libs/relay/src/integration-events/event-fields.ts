/**
 * Typed reads of another module's event data. The relay maps events it does
 * not own, so it takes only what has the expected type and never trusts the
 * rest; a missing field reads as null.
 */
export class EventFields {
  constructor(private readonly data: Record<string, unknown>) {}

  string(name: string, maxLength = 500): string | null {
    const value = this.data[name];
    if (typeof value !== 'string') return null;
    return value.length > maxLength ? `${value.slice(0, maxLength - 1)}…` : value;
  }

  number(name: string): number | null {
    const value = this.data[name];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  /** A list of short strings, cut to `maxItems`; null when it is not one. */
  strings(name: string, maxItems = 20): string[] | null {
    const value = this.data[name];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return null;
    return value.slice(0, maxItems).map((item: string) => item.slice(0, 200));
  }

  record(name: string): EventFields {
    const value = this.data[name];
    const isRecord = value !== null && typeof value === 'object' && !Array.isArray(value);
    return new EventFields(isRecord ? (value as Record<string, unknown>) : {});
  }

  /**
   * The named fields that hold a scalar (or a short list of scalars), for
   * events whose shape belongs to another team: nothing large gets through.
   */
  scalars(names: readonly string[]): Record<string, unknown> {
    const picked: Record<string, unknown> = {};
    for (const name of names) {
      const value = this.data[name];
      if (isSmallScalar(value)) picked[name] = value;
      else if (Array.isArray(value) && value.length <= 20 && value.every(isSmallScalar)) {
        picked[name] = value;
      }
    }
    return picked;
  }
}

function isSmallScalar(value: unknown): boolean {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.length <= 500;
}

/** `incident-<id>` → `<id>` when the stream is of that category. */
export function idFromStream(streamId: string, category: string): string | null {
  const prefix = `${category}-`;
  return streamId.startsWith(prefix) && streamId.length > prefix.length
    ? streamId.slice(prefix.length)
    : null;
}
