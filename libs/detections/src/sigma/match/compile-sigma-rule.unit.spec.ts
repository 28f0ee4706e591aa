import fc from 'fast-check';

import { ParsedSigmaRule } from '../sigma-rule';
import { SigmaRuleError } from '../sigma-rule.error';
import { compileDetection } from '../testing/sigma-rule.factory';
import { compileSigmaRule } from './compile-sigma-rule';

/** A rule with one selection `sel` holding the given clause, matched by `condition: sel`. */
function clause(line: string) {
  return compileDetection(`sel:\n  ${line}\ncondition: sel`);
}

describe('compileSigmaRule: values', () => {
  it('compares plain strings ignoring case', () => {
    const rule = clause('user.name: Administrator');

    expect(rule.matches({ user: { name: 'administrator' } })).toBe(true);
    expect(rule.matches({ user: { name: 'ADMINISTRATOR' } })).toBe(true);
    expect(rule.matches({ user: { name: 'Administrator2' } })).toBe(false);
  });

  it('ORs the values of a list', () => {
    const rule = clause('user.name: [alice, bob]');

    expect(rule.matches({ user: { name: 'Bob' } })).toBe(true);
    expect(rule.matches({ user: { name: 'carol' } })).toBe(false);
  });

  it('ANDs the fields of a selection', () => {
    const rule = compileDetection(`
sel:
  user.name: alice
  event.action: login
condition: sel`);

    expect(rule.matches({ user: { name: 'alice' }, event: { action: 'login' } })).toBe(true);
    expect(rule.matches({ user: { name: 'alice' }, event: { action: 'logout' } })).toBe(false);
  });

  it('ORs the maps of a selection written as a list', () => {
    const rule = compileDetection(`
sel:
  - user.name: alice
    host: db
  - user.name: bob
condition: sel`);

    expect(rule.matches({ user: { name: 'alice' }, host: 'db' })).toBe(true);
    expect(rule.matches({ user: { name: 'alice' }, host: 'web' })).toBe(false);
    expect(rule.matches({ user: { name: 'bob' }, host: 'web' })).toBe(true);
  });

  it('compares numbers numerically, also against numeric text', () => {
    const rule = clause('EventID: 4625');

    expect(rule.matches({ EventID: 4625 })).toBe(true);
    expect(rule.matches({ EventID: '4625' })).toBe(true);
    expect(rule.matches({ EventID: '4625.0' })).toBe(true);
    expect(rule.matches({ EventID: 46250 })).toBe(false);
    expect(rule.matches({ EventID: '0x1211' })).toBe(false);
  });

  it('matches quoted numbers against number fields by their text', () => {
    const rule = clause("EventID: '4625'");

    expect(rule.matches({ EventID: 4625 })).toBe(true);
    expect(rule.matches({ EventID: '4625' })).toBe(true);
  });

  it('compares booleans, also against their text', () => {
    const rule = clause('event.success: false');

    expect(rule.matches({ event: { success: false } })).toBe(true);
    expect(rule.matches({ event: { success: 'FALSE' } })).toBe(true);
    expect(rule.matches({ event: { success: true } })).toBe(false);
    expect(rule.matches({ event: { success: 0 } })).toBe(false);
  });

  it('treats null as the field being absent', () => {
    const rule = clause('user.name: null');

    expect(rule.matches({})).toBe(true);
    expect(rule.matches({ user: { name: null } })).toBe(true);
    expect(rule.matches({ user: { name: '' } })).toBe(false);
    expect(rule.matches({ user: { name: 'alice' } })).toBe(false);
  });

  it('allows null beside other values: absent or one of them', () => {
    const rule = clause('user.name: [null, alice]');

    expect(rule.matches({})).toBe(true);
    expect(rule.matches({ user: { name: 'alice' } })).toBe(true);
    expect(rule.matches({ user: { name: 'bob' } })).toBe(false);
  });

  it('does not match an absent field against a value', () => {
    expect(clause('user.name: alice').matches({})).toBe(false);
    expect(clause("user.name|contains: ''").matches({})).toBe(false);
  });

  it('matches an array field when one element matches', () => {
    const rule = clause('tags: malware');

    expect(rule.matches({ tags: ['benign', 'Malware'] })).toBe(true);
    expect(rule.matches({ tags: ['benign'] })).toBe(false);
  });

  it('never matches objects against values', () => {
    expect(clause('process: x').matches({ process: { name: 'x' } })).toBe(false);
  });
});

describe('compileSigmaRule: field paths', () => {
  it('walks dotted paths into nested objects', () => {
    const rule = clause('process.parent.name: bash');

    expect(rule.matches({ process: { parent: { name: 'bash' } } })).toBe(true);
  });

  it('accepts the literal dotted key', () => {
    const rule = clause('process.parent.name: bash');

    expect(rule.matches({ 'process.parent.name': 'bash' })).toBe(true);
    expect(rule.matches({ process: { 'parent.name': 'bash' } })).toBe(true);
    expect(rule.matches({ 'process.parent': { name: 'bash' } })).toBe(true);
  });

  it('is case-sensitive in field names', () => {
    expect(clause('User: alice').matches({ user: 'alice' })).toBe(false);
  });

  it('does not reach into the prototype', () => {
    expect(clause('constructor: null').matches({})).toBe(true);
    expect(clause('toString|contains: function').matches({})).toBe(false);
  });
});

describe('compileSigmaRule: modifiers', () => {
  it('|contains finds the value anywhere, ignoring case', () => {
    const rule = clause('cmd|contains: Mimikatz');

    expect(rule.matches({ cmd: 'c:\\tools\\mimikatz.exe privilege::debug' })).toBe(true);
    expect(rule.matches({ cmd: 'notepad.exe' })).toBe(false);
  });

  it('|startswith and |endswith anchor at one end', () => {
    const starts = clause('path|startswith: /tmp/');
    const ends = clause('path|endswith: .SH');

    expect(starts.matches({ path: '/TMP/x.sh' })).toBe(true);
    expect(starts.matches({ path: '/var/tmp/x.sh' })).toBe(false);
    expect(ends.matches({ path: '/tmp/x.sh' })).toBe(true);
    expect(ends.matches({ path: '/tmp/x.sh.bak' })).toBe(false);
  });

  it('|contains|all needs every value', () => {
    const rule = clause("cmd|contains|all: [' -enc ', powershell]");

    expect(rule.matches({ cmd: 'powershell -enc AAAA' })).toBe(true);
    expect(rule.matches({ cmd: 'powershell -nop' })).toBe(false);
  });

  it('|all on plain values needs every value', () => {
    const rule = clause('tags|all: [a, b]');

    expect(rule.matches({ tags: ['a', 'b', 'c'] })).toBe(true);
    expect(rule.matches({ tags: ['a', 'c'] })).toBe(false);
  });

  it('|contains on a number matches its text', () => {
    expect(clause('port|contains: 44').matches({ port: 443 })).toBe(true);
  });

  it('|re is a case-sensitive, unanchored JavaScript regular expression', () => {
    const rule = clause("cmd|re: 'whoami\\s+/priv'");

    expect(rule.matches({ cmd: 'cmd /c whoami  /priv' })).toBe(true);
    expect(rule.matches({ cmd: 'WHOAMI /priv' })).toBe(false);
  });

  it('|re|i ignores case and (?i) does the same inline', () => {
    expect(clause("cmd|re|i: 'WHOAMI'").matches({ cmd: 'whoami' })).toBe(true);
    expect(clause("cmd|re: '(?i)WHOAMI'").matches({ cmd: 'whoami' })).toBe(true);
  });

  it('|re treats wildcards as regex syntax, not Sigma wildcards', () => {
    const rule = clause("cmd|re: '^a.c$'");

    expect(rule.matches({ cmd: 'abc' })).toBe(true);
    expect(rule.matches({ cmd: 'a.c.d' })).toBe(false);
  });

  it('|cidr matches IPv4 addresses inside the block', () => {
    const rule = clause('source.ip|cidr: 10.1.0.0/16');

    expect(rule.matches({ source: { ip: '10.1.200.3' } })).toBe(true);
    expect(rule.matches({ source: { ip: '10.2.0.1' } })).toBe(false);
    expect(rule.matches({ source: { ip: 'not an ip' } })).toBe(false);
    expect(rule.matches({ source: { ip: 167903235 } })).toBe(false);
  });

  it('|cidr matches IPv6 addresses and IPv4-mapped IPv6 addresses', () => {
    const v6 = clause("source.ip|cidr: '2001:db8::/32'");
    const v4 = clause('source.ip|cidr: 192.168.0.0/24');

    expect(v6.matches({ source: { ip: '2001:DB8:0:1::5' } })).toBe(true);
    expect(v6.matches({ source: { ip: '2001:db9::1' } })).toBe(false);
    expect(v4.matches({ source: { ip: '::ffff:192.168.0.7' } })).toBe(true);
    expect(v6.matches({ source: { ip: '192.168.0.7' } })).toBe(false);
  });

  it('|cidr with a list matches any block', () => {
    const rule = clause("source.ip|cidr: [10.0.0.0/8, 'fc00::/7']");

    expect(rule.matches({ source: { ip: 'fd12::1' } })).toBe(true);
    expect(rule.matches({ source: { ip: '11.0.0.1' } })).toBe(false);
  });
});

describe('compileSigmaRule: wildcards', () => {
  it('* matches any run of characters, ? exactly one', () => {
    const star = clause("image: '*\\powershell.exe'");
    const one = clause('code: A?C');

    expect(star.matches({ image: 'C:\\Windows\\System32\\PowerShell.exe' })).toBe(true);
    expect(star.matches({ image: 'C:\\powershell.exe.bak' })).toBe(false);
    expect(one.matches({ code: 'abc' })).toBe(true);
    expect(one.matches({ code: 'ac' })).toBe(false);
    expect(one.matches({ code: 'abbc' })).toBe(false);
  });

  it('wildcards work inside |contains, |startswith and |endswith', () => {
    expect(clause('cmd|contains: net*user').matches({ cmd: 'x NET  USER y' })).toBe(true);
    expect(clause('cmd|startswith: a?c').matches({ cmd: 'abcd' })).toBe(true);
    expect(clause('cmd|endswith: a*z').matches({ cmd: 'xxabcz' })).toBe(true);
    expect(clause('cmd|endswith: a*z').matches({ cmd: 'xxabczq' })).toBe(false);
  });

  it('a backslash escapes * and ? to match them literally', () => {
    const star = clause("title: 'a\\*b'");
    const question = clause("title: 'why\\?'");

    expect(star.matches({ title: 'a*b' })).toBe(true);
    expect(star.matches({ title: 'axxb' })).toBe(false);
    expect(question.matches({ title: 'why?' })).toBe(true);
    expect(question.matches({ title: 'whyy' })).toBe(false);
  });

  it('an escaped backslash before a wildcard keeps the wildcard', () => {
    const rule = clause("path: 'C:\\Windows\\\\*'");

    expect(rule.matches({ path: 'C:\\Windows\\notepad.exe' })).toBe(true);
    expect(rule.matches({ path: 'C:\\Windows*' })).toBe(false);
  });

  it('a backslash before any other character is literal', () => {
    const rule = clause("path: 'C:\\Windows\\System32'");

    expect(rule.matches({ path: 'c:\\windows\\system32' })).toBe(true);
  });

  it('regex characters in plain values are literal', () => {
    const rule = clause("cmd: 'a.b(c)+[d]'");

    expect(rule.matches({ cmd: 'A.B(C)+[D]' })).toBe(true);
    expect(rule.matches({ cmd: 'axb(c)+[d]' })).toBe(false);
  });

  it('* spans newlines', () => {
    expect(clause('body: a*b').matches({ body: 'a\n\nb' })).toBe(true);
  });
});

describe('compileSigmaRule: conditions', () => {
  const detection = `
a:
  a: 1
b:
  b: 1
c:
  c: 1
_hidden:
  h: 1
condition: CONDITION`;
  const everyCombination = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => ({
    a: bits & 1 ? 1 : 0,
    b: bits & 2 ? 1 : 0,
    c: bits & 4 ? 1 : 0,
  }));
  const withCondition = (condition: string) =>
    compileDetection(detection.replace('CONDITION', condition));

  it.each([
    ['not a and b or c', (a: boolean, b: boolean, c: boolean) => (!a && b) || c],
    ['a or b and c', (a: boolean, b: boolean, c: boolean) => a || (b && c)],
    ['not (a or b) and c', (a: boolean, b: boolean, c: boolean) => !(a || b) && c],
    ['a and not not b', (a: boolean, b: boolean) => a && b],
    ['(a or b) and (b or c)', (a: boolean, b: boolean, c: boolean) => (a || b) && (b || c)],
    ['a AND NOT b OR c', (a: boolean, b: boolean, c: boolean) => (a && !b) || c],
  ])('%s follows not > and > or precedence', (condition, expected) => {
    const rule = withCondition(condition);

    for (const event of everyCombination) {
      const { a, b, c } = { a: event.a === 1, b: event.b === 1, c: event.c === 1 };
      expect(rule.matches(event)).toBe(expected(a, b, c));
    }
  });

  it('1 of them is the OR of the selections, leaving out names starting with _', () => {
    const rule = withCondition('1 of them');

    expect(rule.matches({ b: 1 })).toBe(true);
    expect(rule.matches({ h: 1 })).toBe(false);
    expect(rule.matches({})).toBe(false);
  });

  it('all of them is the AND of the selections, leaving out names starting with _', () => {
    const rule = withCondition('all of them');

    expect(rule.matches({ a: 1, b: 1, c: 1 })).toBe(true);
    expect(rule.matches({ a: 1, b: 1 })).toBe(false);
  });

  it('1 of and all of take name patterns', () => {
    const rules = compileDetection(`
selection_a:
  a: 1
selection_b:
  b: 1
filter:
  f: 1
condition: 1 of selection_* and not all of filt*`);

    expect(rules.matches({ b: 1 })).toBe(true);
    expect(rules.matches({ b: 1, f: 1 })).toBe(false);
    expect(rules.matches({ f: 1 })).toBe(false);
  });

  it('all of a pattern needs every matching selection', () => {
    const rule = compileDetection(`
sel_1:
  a: 1
sel_2:
  b: 1
condition: all of sel_*`);

    expect(rule.matches({ a: 1, b: 1 })).toBe(true);
    expect(rule.matches({ a: 1 })).toBe(false);
  });

  it('exposes the aggregation but matches on the condition alone', () => {
    const rule = compileDetection(`
sel:
  a: 1
condition: sel | count() by user > 3
timeframe: 10m`);

    expect(rule.matches({ a: 1 })).toBe(true);
    expect(rule.aggregation).toEqual({
      func: 'count',
      groupBy: 'user',
      operator: '>',
      threshold: 3,
      timeframeMs: 600_000,
    });
  });
});

describe('compileSigmaRule: properties', () => {
  const detection = `
s1:
  f1|contains: x
s2:
  f2: [a, 'b*']
s3:
  f3: null
s4:
  f4|startswith: q
condition: CONDITION`;
  const field = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('x', 'a', 'bee', 'q', 'QX', ''),
    fc.string({ maxLength: 4 }),
    fc.integer(),
  );
  const events = fc.record({ f1: field, f2: field, f3: field, f4: field });
  const rule = (condition: string) => compileDetection(detection.replace('CONDITION', condition));

  it('1 of them equals the OR of the selections', () => {
    const oneOf = rule('1 of them');
    const each = ['s1', 's2', 's3', 's4'].map((name) => rule(name));

    fc.assert(
      fc.property(events, (event) => {
        expect(oneOf.matches(event)).toBe(each.some((r) => r.matches(event)));
      }),
    );
  });

  it('not X is the negation of X', () => {
    const conditions = fc.constantFrom('s1', 's1 and s2', 's3 or not s4', '1 of s*', 'all of s*');

    fc.assert(
      fc.property(conditions, events, (condition, event) => {
        const positive = rule(condition);
        const negative = rule(`not (${condition})`);
        expect(negative.matches(event)).toBe(!positive.matches(event));
      }),
    );
  });
});

describe('compileSigmaRule: rules not from the parser', () => {
  it('refuses a condition naming a missing selection', () => {
    const rule: ParsedSigmaRule = compileDetection('sel:\n  a: 1\ncondition: sel').rule;
    const broken: ParsedSigmaRule = {
      ...rule,
      detection: { ...rule.detection, condition: { kind: 'selection', name: 'gone' } },
    };

    expect(() => compileSigmaRule(broken)).toThrow(SigmaRuleError);
  });

  it('refuses an unusable value', () => {
    const rule = compileDetection('sel:\n  a: 1\ncondition: sel').rule;
    const broken: ParsedSigmaRule = {
      ...rule,
      detection: {
        ...rule.detection,
        selections: [
          { name: 'sel', branches: [[{ field: 'a', operator: 're', all: false, values: ['('] }]] },
        ],
      },
    };

    expect(() => compileSigmaRule(broken)).toThrow(/invalid regular expression/);
  });
});
