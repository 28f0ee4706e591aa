import { SIGMA_LIMITS } from '../sigma-limits';
import { FieldClause, FieldOperator, RegexFlag, SigmaValue } from '../sigma-rule';
import { cidrContains, parseCidr, parseIp } from './cidr';
import { resolveField } from './field-path';
import { compileSigmaRegex } from './sigma-regex';
import { GlobPart, matchGlob, parseWildcards } from './wildcard';

export type EventTest = (event: Readonly<Record<string, unknown>>) => boolean;

/** One event value (or one element of an array value), with its text form computed once. */
interface Subject {
  value: unknown;
  text: string | undefined;
  lower: string | undefined;
}

type SubjectTest = (subject: Subject) => boolean;
type RawTest = (raw: unknown) => boolean;

const NUMERIC_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Why a value cannot be used with an operator, or undefined when it can. */
export function valueProblem(
  operator: FieldOperator,
  value: SigmaValue,
  regexFlags: readonly RegexFlag[] = [],
): string | undefined {
  if (value === null) {
    return operator === 'equals' ? undefined : 'null (field absent) cannot take a modifier';
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'numbers must be finite';
  if (typeof value === 'boolean' && operator !== 'equals') {
    return `modifier |${operator} needs a string value, not ${String(value)}`;
  }
  if (typeof value === 'number' && (operator === 're' || operator === 'cidr')) {
    return `modifier |${operator} needs a string value, not ${value}`;
  }
  if (typeof value === 'string' && value.length > SIGMA_LIMITS.valueLength) {
    return `value longer than ${SIGMA_LIMITS.valueLength} characters`;
  }
  if (operator === 're') {
    const regex = compileSigmaRegex(String(value), regexFlags);
    return regex.ok ? undefined : regex.reason;
  }
  if (operator === 'cidr' && parseCidr(String(value)) === undefined) {
    return `'${String(value)}' is not an IPv4 or IPv6 address or CIDR block`;
  }
  return undefined;
}

/**
 * The test for one field clause. Throws an Error carrying the reason when a value is unusable;
 * parsed rules never have one, since the parser asks valueProblem first.
 */
export function compileClause(clause: FieldClause): EventTest {
  const flags = clause.regexFlags ?? [];
  const tests = clause.values.map((value) => rawTest(clause.operator, value, flags));

  return (event) => {
    const raw = resolveField(event, clause.field);
    return clause.all ? tests.every((test) => test(raw)) : tests.some((test) => test(raw));
  };
}

function rawTest(operator: FieldOperator, value: SigmaValue, flags: readonly RegexFlag[]): RawTest {
  const problem = valueProblem(operator, value, flags);
  if (problem !== undefined) throw new Error(problem);
  if (value === null) return (raw) => raw === undefined || raw === null;

  const test = subjectTest(operator, value, flags);
  return (raw) => {
    if (raw === undefined || raw === null) return false;
    // An array value (tags, addresses) matches when one of its elements does.
    if (Array.isArray(raw)) return raw.some((element) => test(subjectOf(element)));
    return test(subjectOf(raw));
  };
}

function subjectTest(
  operator: FieldOperator,
  value: string | number | boolean,
  flags: readonly RegexFlag[],
): SubjectTest {
  switch (operator) {
    case 'equals':
      return equalsTest(value);
    case 'contains':
    case 'startswith':
    case 'endswith':
      return partialTest(operator, String(value));
    case 're': {
      const compiled = compileSigmaRegex(String(value), flags);
      if (!compiled.ok) throw new Error(compiled.reason);
      const { regex } = compiled;
      return (subject) => subject.text !== undefined && regex.test(subject.text);
    }
    case 'cidr':
      return cidrTest(String(value));
  }
}

function equalsTest(value: string | number | boolean): SubjectTest {
  if (typeof value === 'number') {
    return ({ value: actual, text }) =>
      typeof actual === 'number'
        ? actual === value
        : typeof actual === 'string' && NUMERIC_TEXT.test(actual) && Number(text) === value;
  }
  if (typeof value === 'boolean') {
    const expected = String(value);
    return ({ value: actual, lower }) =>
      typeof actual === 'boolean' ? actual === value : lower === expected;
  }

  const pattern = parseWildcards(value);
  if (pattern.kind === 'literal') {
    const expected = pattern.text.toLowerCase();
    return ({ lower }) => lower === expected;
  }
  const { parts } = pattern;
  return ({ lower }) => lower !== undefined && matchGlob(lower, parts);
}

function partialTest(operator: 'contains' | 'startswith' | 'endswith', value: string): SubjectTest {
  const pattern = parseWildcards(value);
  if (pattern.kind === 'literal') {
    const expected = pattern.text.toLowerCase();
    if (operator === 'contains') return ({ lower }) => lower?.includes(expected) ?? false;
    if (operator === 'startswith') return ({ lower }) => lower?.startsWith(expected) ?? false;
    return ({ lower }) => lower?.endsWith(expected) ?? false;
  }

  // A leading or trailing `*` is an empty first or last part.
  const open: GlobPart[] = [[]];
  const parts = [
    ...(operator === 'startswith' ? [] : open),
    ...pattern.parts,
    ...(operator === 'endswith' ? [] : open),
  ];
  return ({ lower }) => lower !== undefined && matchGlob(lower, parts);
}

function cidrTest(value: string): SubjectTest {
  const block = parseCidr(value);
  if (block === undefined) throw new Error(`'${value}' is not a CIDR block`);

  return ({ value: actual }) => {
    if (typeof actual !== 'string') return false;
    const address = parseIp(actual);
    return address !== undefined && cidrContains(block, address);
  };
}

function subjectOf(value: unknown): Subject {
  const text = textOf(value);
  return { value, text, lower: text?.toLowerCase() };
}

/** Strings, numbers and booleans compare by their text; objects have none and never match. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return undefined;
}
