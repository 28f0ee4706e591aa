import { FieldOperator, RegexFlag } from '../sigma-rule';

export interface FieldSpec {
  field: string;
  operator: FieldOperator;
  all: boolean;
  regexFlags: RegexFlag[];
}

export type FieldKey =
  | ({ ok: true } & FieldSpec)
  /** `index` is the character of the key the problem is about. */
  | { ok: false; reason: string; index: number };

const OPERATOR_MODIFIERS = new Map<string, FieldOperator>(
  (['contains', 'startswith', 'endswith', 're', 'cidr'] as const).map((name) => [name, name]),
);
const REGEX_FLAGS = new Map<string, RegexFlag>(
  (['i', 'm', 's'] as const).map((name) => [name, name]),
);

/** Sigma modifiers this subset knows of and refuses, so the reason can say so plainly. */
const UNSUPPORTED_MODIFIERS = new Set([
  'base64',
  'base64offset',
  'utf16',
  'utf16le',
  'utf16be',
  'wide',
  'windash',
  'cased',
  'exists',
  'expand',
  'fieldref',
  'gt',
  'gte',
  'lt',
  'lte',
]);

/** Reads `Field|mod|mod`: the field path, at most one operator, `all`, and regex flags. */
export function parseFieldKey(key: string): FieldKey {
  const [field = '', ...modifiers] = key.split('|');
  if (field.trim() === '') {
    const reason = "a field name is required before '|'; keyword search is not supported";
    return { ok: false, reason, index: 0 };
  }

  let operator: FieldOperator = 'equals';
  let all = false;
  const regexFlags: RegexFlag[] = [];
  const seen = new Set<string>();
  let index = field.length + 1;
  let firstFlagIndex = index;

  for (const written of modifiers) {
    const modifier = written.toLowerCase();
    const problem = modifierProblem(modifier, written, seen, operator);
    if (problem !== undefined) return { ok: false, reason: problem, index };

    seen.add(modifier);
    all = all || modifier === 'all';
    operator = OPERATOR_MODIFIERS.get(modifier) ?? operator;
    const flag = REGEX_FLAGS.get(modifier);
    if (flag !== undefined) {
      if (regexFlags.length === 0) firstFlagIndex = index;
      regexFlags.push(flag);
    }
    index += written.length + 1;
  }

  if (regexFlags.length > 0 && operator !== 're') {
    const reason = `modifier |${regexFlags[0] ?? ''} only applies to |re`;
    return { ok: false, reason, index: firstFlagIndex };
  }
  return { ok: true, field, operator, all, regexFlags: regexFlags.sort() };
}

function modifierProblem(
  modifier: string,
  written: string,
  seen: ReadonlySet<string>,
  operator: FieldOperator,
): string | undefined {
  if (modifier === '') return "empty modifier (two '|' in a row or a trailing '|')";
  if (UNSUPPORTED_MODIFIERS.has(modifier)) return `modifier |${written} is not supported`;
  const known = modifier === 'all' || OPERATOR_MODIFIERS.has(modifier) || REGEX_FLAGS.has(modifier);
  if (!known) return `unknown modifier |${written}`;
  if (seen.has(modifier)) return `modifier |${written} is given twice`;
  if (OPERATOR_MODIFIERS.has(modifier) && operator !== 'equals') {
    return `modifiers |${operator} and |${written} cannot be combined`;
  }
  return undefined;
}
