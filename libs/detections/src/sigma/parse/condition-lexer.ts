/** A piece of a condition with its character index, so errors can point at it. */
export type ConditionToken =
  | { kind: 'word'; text: string; index: number }
  | { kind: '(' | ')' | '|' | ','; index: number }
  | { kind: 'compare'; text: string; index: number };

/** A condition the parser cannot accept; `index` is the character it is about. */
export class ConditionError extends Error {
  constructor(
    readonly reason: string,
    readonly index: number,
  ) {
    super(reason);
  }
}

const WORD = /[A-Za-z0-9_*.@-]/;
const COMPARISONS = ['>=', '<=', '==', '!=', '>', '<', '='];

export function tokenizeCondition(text: string): ConditionToken[] {
  const tokens: ConditionToken[] = [];
  let i = 0;

  while (i < text.length) {
    const char = text.charAt(i);
    const compare = COMPARISONS.find((op) => text.startsWith(op, i));

    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')' || char === '|' || char === ',') {
      tokens.push({ kind: char, index: i });
      i += 1;
    } else if (compare !== undefined) {
      tokens.push({ kind: 'compare', text: compare, index: i });
      i += compare.length;
    } else if (WORD.test(char)) {
      const start = i;
      while (i < text.length && WORD.test(text.charAt(i))) i += 1;
      tokens.push({ kind: 'word', text: text.slice(start, i), index: start });
    } else {
      throw new ConditionError(`unexpected character '${char}' in condition`, i);
    }
  }

  return tokens;
}
