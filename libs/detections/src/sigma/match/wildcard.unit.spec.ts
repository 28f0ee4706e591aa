import fc from 'fast-check';

import { matchGlob, parseWildcards } from './wildcard';

function matches(pattern: string, text: string): boolean {
  const parsed = parseWildcards(pattern);
  if (parsed.kind === 'literal') return text.toLowerCase() === parsed.text.toLowerCase();
  return matchGlob(text.toLowerCase(), parsed.parts);
}

/** The same semantics as a regular expression, fine as a reference on short strings. */
function reference(pattern: string, text: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern.charAt(i);
    const next = pattern.charAt(i + 1);
    if (char === '\\' && (next === '*' || next === '?' || next === '\\')) {
      source += `\\${next}`;
      i += 1;
    } else if (char === '*' || char === '?') {
      source += char === '*' ? '.*' : '.';
    } else {
      source += char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'isu').test(text);
}

describe('parseWildcards', () => {
  it('unescapes \\*, \\? and \\\\ and keeps other backslashes', () => {
    expect(parseWildcards('a\\*b\\?c\\\\d\\e')).toEqual({ kind: 'literal', text: 'a*b?c\\d\\e' });
  });

  it('splits at stars and marks ? as any character', () => {
    expect(parseWildcards('A*b?*')).toEqual({ kind: 'wildcard', parts: [['a'], ['b', null], []] });
  });
});

describe('matchGlob', () => {
  it.each([
    ['*', '', true],
    ['?', '', false],
    ['a*', 'abc', true],
    ['*c', 'abc', true],
    ['a*c', 'ac', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'acb', false],
    ['a?c', 'a😀c', true],
    ['*ab*ab*', 'abab', true],
    ['*ab*ab*', 'aba', false],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
  ])('%s against %s: %s', (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });

  it('agrees with the regular expression reading of the pattern', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', '*', '?', '\\', '😀');
    const strings = fc.array(alphabet, { maxLength: 8 }).map((chars) => chars.join(''));
    const texts = fc
      .array(fc.constantFrom('a', 'b', 'B', '*', '?', '\\', '😀'), { maxLength: 10 })
      .map((chars) => chars.join(''));

    fc.assert(
      fc.property(strings, texts, (pattern, text) => {
        expect(matches(pattern, text)).toBe(reference(pattern, text));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays fast where a backtracking regex would not', () => {
    const text = 'a'.repeat(50_000);

    const started = process.hrtime.bigint();
    const results = [matches(`${'*a'.repeat(12)}*b*`, text), matches('*a?a?a?a?b*', text)];
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

    expect(results).toEqual([false, false]);
    expect(elapsedMs).toBeLessThan(200);
  });
});
