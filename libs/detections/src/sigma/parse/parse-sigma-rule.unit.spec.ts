import { SIGMA_LIMITS } from '../sigma-limits';
import { DETECTION_FIRST_LINE, refusal, sigmaSource } from '../testing/sigma-rule.factory';
import { parseSigmaRule } from './parse-sigma-rule';

const FULL_RULE = `title: SSH brute force
id: 5D3C2F0E-1111-4A2B-9C3D-123456789ABC
status: experimental
description: Many failed logins for one user
author: detection-agent
level: high
tags:
  - attack.credential_access
  - attack.ta0006
  - attack.t1110
  - attack.T1110.001
  - attack.g0016
  - car.2013-04-002
references:
  - https://attack.mitre.org/techniques/T1110/
falsepositives:
  - Users who forgot their password
date: 2026/01/01
logsource:
  product: linux
  service: sshd
detection:
  selection:
    event.action: login_failed
  condition: selection | count() by user.name > 5
  timeframe: 5m
`;

describe('parseSigmaRule: accepted rules', () => {
  it('reads the metadata, logsource and detection', () => {
    const rule = parseSigmaRule(FULL_RULE);

    expect(rule).toMatchObject({
      title: 'SSH brute force',
      id: '5d3c2f0e-1111-4a2b-9c3d-123456789abc',
      status: 'experimental',
      description: 'Many failed logins for one user',
      author: 'detection-agent',
      level: 'high',
      severity: 'error',
      references: ['https://attack.mitre.org/techniques/T1110/'],
      falsePositives: ['Users who forgot their password'],
      logsource: { product: 'linux', service: 'sshd' },
    });
    expect(rule.detection.selections).toEqual([
      {
        name: 'selection',
        branches: [
          [{ field: 'event.action', operator: 'equals', all: false, values: ['login_failed'] }],
        ],
      },
    ]);
    expect(rule.detection.conditionText).toBe('selection | count() by user.name > 5');
    expect(rule.detection.aggregation).toEqual({
      func: 'count',
      groupBy: 'user.name',
      field: undefined,
      operator: '>',
      threshold: 5,
      timeframeMs: 300_000,
    });
  });

  it('extracts ATT&CK tactics and techniques from tags, once each', () => {
    const rule = parseSigmaRule(FULL_RULE);

    expect(rule.mitre).toEqual({
      tactics: ['credential_access'],
      techniques: ['T1110', 'T1110.001'],
    });
    expect(rule.tags).toHaveLength(6);
  });

  it.each([
    ['informational', 'info'],
    ['low', 'warning'],
    ['medium', 'warning'],
    ['high', 'error'],
    ['critical', 'critical'],
  ])('maps level %s to incident severity %s', (level, severity) => {
    const rule = parseSigmaRule(`level: ${level}\n${sigmaSource('sel:\n  a: 1\ncondition: sel')}`);

    expect(rule.severity).toBe(severity);
  });

  it('defaults to level medium and empty lists', () => {
    const rule = parseSigmaRule(sigmaSource('sel:\n  a: 1\ncondition: sel'));

    expect(rule).toMatchObject({ level: 'medium', severity: 'warning', tags: [], references: [] });
    expect(rule.mitre).toEqual({ tactics: [], techniques: [] });
    expect(rule.id).toBeUndefined();
  });

  it('keeps values with their YAML types', () => {
    const rule = parseSigmaRule(sigmaSource("sel:\n  a: [1, '1', true, null, '']\ncondition: sel"));

    expect(rule.detection.selections[0]?.branches[0]?.[0]?.values).toEqual([
      1,
      '1',
      true,
      null,
      '',
    ]);
  });

  it('reads modifiers case-insensitively and records |all', () => {
    const rule = parseSigmaRule(sigmaSource('sel:\n  cmd|Contains|ALL: [a, b]\ncondition: sel'));

    expect(rule.detection.selections[0]?.branches[0]?.[0]).toEqual({
      field: 'cmd',
      operator: 'contains',
      all: true,
      values: ['a', 'b'],
    });
  });

  it('produces plain data that survives JSON', () => {
    const rule = parseSigmaRule(FULL_RULE);

    expect(JSON.parse(JSON.stringify(rule))).toEqual(rule);
  });
});

/** The first problem of a refused detection body, with its line inside the whole source. */
function detectionRefusal(detection: string) {
  const error = refusal(sigmaSource(detection));
  return { reason: error.reason, line: error.line, column: error.column, error };
}

describe('parseSigmaRule: refused rules', () => {
  it('refuses invalid YAML with its line', () => {
    const error = refusal('title: x\nlogsource:\n  product: y\ndetection: [unclosed\n');

    expect(error.reason).toMatch(/^invalid YAML/);
    expect(error.line).toBe(5);
  });

  it('refuses duplicate keys with the line of the second', () => {
    const error = refusal('title: a\ntitle: b\n');

    expect(error.reason).toMatch(/unique/);
    expect(error.line).toBe(2);
  });

  it('refuses more than one YAML document', () => {
    const error = refusal(`${sigmaSource('sel:\n  a: 1\ncondition: sel')}---\ntitle: two\n`);

    expect(error.reason).toMatch(/more than one YAML document/);
  });

  it('refuses a missing detection, pointing at the rule', () => {
    const error = refusal('# comment\ntitle: x\nlogsource:\n  product: y\n');

    expect(error.reason).toBe("missing required field 'detection'");
    expect(error.line).toBe(2);
    expect(error.fieldErrors).toContainEqual({
      field: 'detection',
      message: "line 2, column 1: missing required field 'detection'",
    });
  });

  it('refuses a missing title and a logsource without category, product or service', () => {
    const error = refusal(
      'logsource:\n  definition: x\ndetection:\n  s:\n    a: 1\n  condition: s\n',
    );

    expect(error.problems.map((p) => p.reason)).toEqual([
      "missing required field 'title'",
      'logsource needs at least one of category, product or service',
    ]);
  });

  it('refuses an undefined selection at its place in the condition', () => {
    const result = detectionRefusal('selection:\n  a: 1\ncondition: selection and filter');

    expect(result.reason).toBe("undefined selection 'filter'");
    expect(result.line).toBe(DETECTION_FIRST_LINE + 2);
    expect(result.column).toBe(28);
  });

  it('points into quoted conditions and falls back to the start of folded ones', () => {
    const quoted = detectionRefusal("sel:\n  a: 1\ncondition: 'sel or nope'");
    const folded = detectionRefusal('sel:\n  a: 1\ncondition: >\n  sel or\n  nope');

    expect(quoted.column).toBe(22);
    expect(folded.line).toBe(DETECTION_FIRST_LINE + 2);
    expect(folded.reason).toBe("undefined selection 'nope'");
  });

  it('refuses an unsupported modifier at the modifier', () => {
    const result = detectionRefusal('sel:\n  CommandLine|base64offset|contains: x\ncondition: sel');

    expect(result.reason).toBe('modifier |base64offset is not supported');
    expect(result.line).toBe(DETECTION_FIRST_LINE + 1);
    expect(result.column).toBe(17);
    expect(result.error.problems[0]?.field).toBe('detection.sel.CommandLine|base64offset|contains');
  });

  it.each([
    ['a|wildcard: x', 'unknown modifier |wildcard'],
    ['a|contains|contains: x', 'modifier |contains is given twice'],
    ['a|contains|re: x', 'modifiers |contains and |re cannot be combined'],
    ['a||contains: x', "empty modifier (two '|' in a row or a trailing '|')"],
    ["'|contains': x", "a field name is required before '|'; keyword search is not supported"],
    ['a..b: x', "field name 'a..b' has an empty part between dots"],
    ['a|contains: null', 'null (field absent) cannot take a modifier'],
    ['a|all: [null, x]', 'null (field absent) cannot be combined with |all'],
    ['a|contains: true', 'modifier |contains needs a string value, not true'],
    ['a|re: 5', 'modifier |re needs a string value, not 5'],
    ['a|cidr: 10.0.0.0/40', "'10.0.0.0/40' is not an IPv4 or IPv6 address or CIDR block"],
    ['a: []', "'a' has no values"],
    ['a: {b: 1}', "'detection.sel.a' must be a single value"],
    ['a: [[1]]', "'detection.sel.a' must be a single value"],
    ['a: !!binary aGk=', 'YAML tag !!binary is not supported'],
    ['a: .inf', "'detection.sel.a' must be a string, a finite number, a boolean or null"],
  ])('refuses the clause %s', (clause, reason) => {
    const result = detectionRefusal(`sel:\n  ${clause}\ncondition: sel`);

    expect(result.reason).toBe(reason);
    expect(result.line).toBe(DETECTION_FIRST_LINE + 1);
  });

  it('refuses a bad regex at its value', () => {
    const result = detectionRefusal("sel:\n  a: 1\n  b|re: '[unclosed'\ncondition: sel");

    expect(result.reason).toMatch(/^invalid regular expression/);
    expect(result.line).toBe(DETECTION_FIRST_LINE + 2);
    expect(result.column).toBe(11);
  });

  it('refuses regex syntax RE2 does not have, at the value', () => {
    const result = detectionRefusal("sel:\n  b|re:\n    - ok\n    - '(a)\\1'\ncondition: sel");

    expect(result.reason).toMatch(/^invalid regular expression: .*invalid escape sequence/);
    expect(result.line).toBe(DETECTION_FIRST_LINE + 3);
  });

  it('records regex flags only with |re', () => {
    const rule = parseSigmaRule(sigmaSource("sel:\n  a|re|s|i: 'x.y'\ncondition: sel"));
    const result = detectionRefusal('sel:\n  a|contains|i: x\ncondition: sel');

    expect(rule.detection.selections[0]?.branches[0]?.[0]?.regexFlags).toEqual(['i', 's']);
    expect(result.reason).toBe('modifier |i only applies to |re');
    expect(result.column).toBe(16);
  });

  it.each([
    ['5x', "timeframe '5x' must be a whole number followed by s, m, h or d, e.g. 5m"],
    ['1.5h', "timeframe '1.5h' must be a whole number followed by s, m, h or d, e.g. 5m"],
    ['0s', "timeframe '0s' must be between 1s and 7d"],
    ['8d', "timeframe '8d' must be between 1s and 7d"],
  ])('refuses timeframe %s at its line', (timeframe, reason) => {
    const result = detectionRefusal(
      `sel:\n  a: 1\ncondition: sel | count() > 5\ntimeframe: ${timeframe}`,
    );

    expect(result.reason).toBe(reason);
    expect(result.line).toBe(DETECTION_FIRST_LINE + 3);
  });

  it('refuses an aggregation without timeframe and a timeframe without aggregation', () => {
    const missing = detectionRefusal('sel:\n  a: 1\ncondition: sel | count() > 5');
    const unused = detectionRefusal('sel:\n  a: 1\ncondition: sel\ntimeframe: 5m');

    expect(missing.reason).toMatch(/aggregation needs a timeframe/);
    expect(missing.line).toBe(DETECTION_FIRST_LINE + 2);
    expect(unused.reason).toMatch(/timeframe is only used with an aggregation/);
    expect(unused.line).toBe(DETECTION_FIRST_LINE + 3);
  });

  it.each([
    ['sel:\n  a: 1', 'detection needs a condition', DETECTION_FIRST_LINE],
    ['condition: x', 'detection needs at least one named selection', DETECTION_FIRST_LINE],
    [
      'sel:\n  a: 1\ncondition: [sel, sel]',
      "condition must be one expression; join alternatives with 'or'",
      DETECTION_FIRST_LINE + 2,
    ],
    [
      'sel:\n  - a\n  - b\ncondition: sel',
      expect.stringMatching(/^keyword selections \(a list of plain values\) are not supported/),
      DETECTION_FIRST_LINE + 1,
    ],
    [
      'sel: x\ncondition: sel',
      "selection 'sel' must be a map of field: value, or a list of such maps",
      DETECTION_FIRST_LINE,
    ],
    ['sel: []\ncondition: sel', 'selection list is empty', DETECTION_FIRST_LINE],
    ['sel: {}\ncondition: sel', 'selection names no field', DETECTION_FIRST_LINE],
    [
      'sel-1:\n  a: 1\ncondition: x',
      expect.stringMatching(/^selection name 'sel-1' must start/),
      DETECTION_FIRST_LINE,
    ],
    [
      'them:\n  a: 1\ncondition: x',
      expect.stringMatching(/^selection name 'them' must start/),
      DETECTION_FIRST_LINE,
    ],
    [
      'sel: &x\n  a: 1\nother: *x\ncondition: sel',
      'YAML aliases (*name) are not supported; repeat the value',
      DETECTION_FIRST_LINE + 2,
    ],
    [
      'sel:\n  a: !custom 1\ncondition: sel',
      expect.stringMatching(/^invalid YAML: Unresolved tag/),
      DETECTION_FIRST_LINE + 1,
    ],
  ])('refuses detection %#', (detection, reason, line) => {
    const result = detectionRefusal(detection);

    expect(result.reason).toEqual(reason);
    expect(result.line).toBe(line);
  });

  it('refuses unknown top-level fields, collections and correlations', () => {
    const body = sigmaSource('sel:\n  a: 1\ncondition: sel');

    expect(refusal(`${body}colour: red\n`).reason).toBe("unknown field 'colour'");
    expect(refusal(`action: global\n${body}`).reason).toMatch(/collections and correlation/);
  });

  it.each([
    ['id: not-a-uuid', "id 'not-a-uuid' is not a UUID"],
    ['level: severe', 'level must be one of informational, low, medium, high, critical'],
    ['status: done', 'status must be one of stable, test, experimental, deprecated, unsupported'],
    ['tags: [attack.credential-access]', expect.stringMatching(/^unknown ATT&CK tag/)],
    ['tags: [attack.ta9999]', "unknown ATT&CK tactic id 'attack.ta9999'"],
    ['tags: [has space]', "tag 'has space' may only hold letters, digits, '_', '-' and '.'"],
    ['tags: attack.t1110', "'tags' must be a list"],
    ['title: ""', "'title' must not be empty"],
    ['author: [a, b]', "'author' must be a single value"],
    ['description: 42', "'description' must be text"],
  ])('refuses metadata %s on its line', (line, reason) => {
    const source = sigmaSource('sel:\n  a: 1\ncondition: sel').replace('title: Test rule', line);
    const withTitle = line.startsWith('title') ? source : `title: t\n${source}`;
    const error = refusal(withTitle);

    expect(error.reason).toEqual(reason);
    expect(error.line).toBe(line.startsWith('title') ? 1 : 2);
  });

  it('reports every problem, earliest first, in details and fieldErrors', () => {
    const error = refusal(
      sigmaSource(`
sel:
  a|base64: x
other:
  b|re: '(?=x)'
condition: sel and missing`),
    );

    expect(error.problems.map((p) => p.line)).toEqual([6, 8, 9]);
    expect(error.details).toMatchObject({
      line: 6,
      column: 7,
      reason: 'modifier |base64 is not supported',
    });
    expect(error.fieldErrors).toHaveLength(3);
    expect(error.code).toBe('validation');
    expect(error.message).toBe(
      'Sigma rule refused: line 6, column 7: modifier |base64 is not supported',
    );
  });

  it('refuses sources over the size limit without parsing them', () => {
    const error = refusal(`title: x\ndescription: ${'a'.repeat(SIGMA_LIMITS.sourceBytes)}\n`);

    expect(error.reason).toBe('rule is larger than 64 KiB');
    expect(error.line).toBeUndefined();
  });

  it('refuses more selections than the limit', () => {
    const selections = Array.from(
      { length: SIGMA_LIMITS.selections + 1 },
      (_, i) => `s${i}:\n  a: 1`,
    );
    const error = refusal(sigmaSource(`${selections.join('\n')}\ncondition: s0`));

    expect(error.reason).toBe('detection has more than 64 selections');
  });

  it('refuses more values in one clause than the limit', () => {
    const values = Array.from({ length: SIGMA_LIMITS.valuesPerClause + 1 }, (_, i) => i).join(', ');
    const error = refusal(sigmaSource(`sel:\n  a: [${values}]\ncondition: sel`));

    expect(error.reason).toBe("'a' has more than 256 values");
  });

  it('refuses an empty source and a source that is not a map', () => {
    expect(refusal('').reason).toBe('rule is empty');
    expect(refusal('- a\n- b\n').reason).toBe('the rule must be a map');
  });
});
