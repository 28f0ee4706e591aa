/**
 * The value at a dotted field path. A literal key with dots (`{ 'process.command_line': x }`)
 * and nesting (`{ process: { command_line: x } }`) are both found, in any mix; the longest
 * literal key wins. Only own properties are read, so `constructor` or `__proto__` in a rule
 * never reach the prototype. Arrays are not walked into; an array is returned as the value.
 */
export function resolveField(event: Readonly<Record<string, unknown>>, path: string): unknown {
  return lookup(event, path.split('.'), 0);
}

function lookup(node: unknown, segments: readonly string[], from: number): unknown {
  if (!isRecord(node)) return undefined;

  for (let to = segments.length; to > from; to -= 1) {
    const key = segments.slice(from, to).join('.');
    if (!Object.hasOwn(node, key)) continue;

    const child = node[key];
    if (to === segments.length) return child;
    const found = lookup(child, segments, to);
    if (found !== undefined) return found;
  }

  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
