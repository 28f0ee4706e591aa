import { compileSigmaRegex } from './sigma-regex';

function test(source: string, text: string, flags: ('i' | 'm' | 's')[] = []): boolean {
  const compiled = compileSigmaRegex(source, flags);
  if (!compiled.ok) throw new Error(compiled.reason);
  return compiled.regex.test(text);
}

describe('compileSigmaRegex', () => {
  it('searches anywhere in the text, case-sensitively unless |i', () => {
    expect(test('whoami\\s+/priv', 'cmd /c whoami  /priv')).toBe(true);
    expect(test('whoami', 'WHOAMI')).toBe(false);
    expect(test('whoami', 'WHOAMI', ['i'])).toBe(true);
    expect(test('(?i)whoami', 'WHOAMI')).toBe(true);
  });

  it('applies |m and |s', () => {
    expect(test('^b$', 'a\nb')).toBe(false);
    expect(test('^b$', 'a\nb', ['m'])).toBe(true);
    expect(test('a.b', 'a\nb')).toBe(false);
    expect(test('a.b', 'a\nb', ['s'])).toBe(true);
  });

  it.each([
    ['(unclosed', /missing closing \)/],
    ['(a)\\1', /invalid escape sequence/],
    ['(?=x)y', /unsupported Perl syntax/],
    ['a{2000}', /invalid repeat count/],
    ['a'.repeat(513), /longer than 512 characters/],
  ])('refuses %s', (source, reason) => {
    const compiled = compileSigmaRegex(source);

    expect(compiled.ok).toBe(false);
    expect(compiled.ok ? '' : compiled.reason).toMatch(reason);
  });

  it.each(['(a+)+$', '(a|aa)*c', '.*a.*a.*a.*b', '(\\d+\\.)+x'])(
    'matches %s against adversarial text in linear time',
    (source) => {
      const text = 'a'.repeat(20_000);

      const started = process.hrtime.bigint();
      test(source, text);
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

      expect(elapsedMs).toBeLessThan(500);
    },
  );
});
