/**
 * Sigma wildcards in plain values: `*` is any run of characters, `?` exactly one. A backslash
 * escapes `*`, `?` or a backslash; any other backslash is literal, so Windows paths read as
 * written (`C:\Windows\System32`), but `C:\Windows\*` means a literal star (write `\\*`).
 *
 * Wildcard values are matched by a glob matcher, not a regular expression: `*a*a*a*b` as a
 * regex backtracks polynomially on long text, the matcher here is at worst text x pattern.
 * Matching ignores case; `?` is one Unicode code point.
 */
export type WildcardPattern =
  | { kind: 'literal'; text: string }
  /** The pattern split at each `*`; within a part, null is a `?`. */
  | { kind: 'wildcard'; parts: GlobPart[] };

export type GlobPart = readonly (string | null)[];

/** Text as code units, or as code points when it holds surrogate pairs. */
type Chars = string | readonly string[];

const ESCAPABLE = new Set(['*', '?', '\\']);
const SURROGATE = /[\uD800-\uDFFF]/;

export function parseWildcards(value: string): WildcardPattern {
  const chars = Array.from(value);
  const parts: (string | null)[][] = [[]];
  let text = '';
  let wildcard = false;

  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i] ?? '';
    const next = chars[i + 1] ?? '';
    const current = parts[parts.length - 1] ?? [];
    if (char === '\\' && ESCAPABLE.has(next)) {
      text += next;
      current.push(next.toLowerCase());
      i += 1;
    } else if (char === '*') {
      wildcard = true;
      parts.push([]);
    } else if (char === '?') {
      wildcard = true;
      current.push(null);
    } else {
      text += char;
      current.push(char.toLowerCase());
    }
  }

  return wildcard ? { kind: 'wildcard', parts } : { kind: 'literal', text };
}

/**
 * Whether lower-cased text matches the parts. An empty first or last part stands for a
 * leading or trailing `*`.
 */
export function matchGlob(lowerText: string, parts: readonly GlobPart[]): boolean {
  const text: Chars = SURROGATE.test(lowerText) ? Array.from(lowerText) : lowerText;
  const first = parts[0] ?? [];
  const last = parts[parts.length - 1] ?? [];

  if (parts.length === 1) return text.length === first.length && matchesAt(text, first, 0);
  if (first.length + last.length > text.length) return false;
  const end = text.length - last.length;
  if (!matchesAt(text, first, 0) || !matchesAt(text, last, end)) return false;

  // Between stars the leftmost occurrence of each part is always a safe choice.
  let position = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = find(text, part, position, end);
    if (found === -1) return false;
    position = found + part.length;
  }
  return true;
}

function matchesAt(text: Chars, part: GlobPart, at: number): boolean {
  for (let i = 0; i < part.length; i += 1) {
    const expected = part[i];
    if (expected !== null && text[at + i] !== expected) return false;
  }
  return true;
}

/** The leftmost start at or after `from` where `part` fits entirely before `end`, or -1. */
function find(text: Chars, part: GlobPart, from: number, end: number): number {
  if (typeof text === 'string' && !part.includes(null)) {
    const found = text.indexOf(part.join(''), from);
    return found !== -1 && found + part.length <= end ? found : -1;
  }

  for (let at = from; at + part.length <= end; at += 1) {
    if (matchesAt(text, part, at)) return at;
  }
  return -1;
}
