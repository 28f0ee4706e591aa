import { SIGMA_LIMITS } from '../sigma-limits';
import { AggregationOperator, ConditionNode, SigmaAggregation } from '../sigma-rule';
import { ConditionError, ConditionToken, tokenizeCondition } from './condition-lexer';
import { fieldPathProblem } from './field-name';

export type ConditionAggregation = Omit<SigmaAggregation, 'timeframeMs'>;

export interface ParsedCondition {
  condition: ConditionNode;
  aggregation?: ConditionAggregation;
}

export const SELECTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const CONDITION_KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'near']);

const NAME_PATTERN = /^[A-Za-z0-9_*]+$/;
const OPERATORS = new Map<string, AggregationOperator>([
  ['>', '>'],
  ['>=', '>='],
  ['<', '<'],
  ['<=', '<='],
  ['==', '=='],
  ['=', '=='],
]);
const UNSUPPORTED_FUNCTIONS = new Set(['min', 'max', 'avg', 'sum']);

/**
 * Parses `expression [| count([field]) [by field] <op> <n>]`. Precedence, tightest first:
 * parentheses, `not`, `and`, `or`. Keywords are case-insensitive, selection names are not.
 * Throws ConditionError with the character index of the problem.
 */
export function parseCondition(text: string, names: readonly string[]): ParsedCondition {
  if (text.trim() === '') throw new ConditionError('condition is empty', 0);
  if (text.length > SIGMA_LIMITS.conditionLength) {
    throw new ConditionError(`condition longer than ${SIGMA_LIMITS.conditionLength} characters`, 0);
  }

  const tokens = tokenizeCondition(text);
  const pipe = tokens.findIndex((token) => token.kind === '|');
  const booleanTokens = pipe === -1 ? tokens : tokens.slice(0, pipe);
  const pipeIndex = pipe === -1 ? text.length : (tokens[pipe]?.index ?? text.length);

  const expression = new ExpressionParser(new Cursor(booleanTokens, pipeIndex), names);
  const condition = expression.parse();
  if (pipe === -1) return { condition };

  const aggregation = parseAggregation(new Cursor(tokens.slice(pipe + 1), text.length), pipeIndex);
  return { condition, aggregation };
}

class Cursor {
  private position = 0;

  constructor(
    private readonly tokens: readonly ConditionToken[],
    private readonly endIndex: number,
  ) {}

  peek(): ConditionToken | undefined {
    return this.tokens[this.position];
  }

  next(): ConditionToken | undefined {
    const token = this.tokens[this.position];
    if (token !== undefined) this.position += 1;
    return token;
  }

  /** Where the current token starts, or the end of this part of the condition. */
  here(): number {
    return this.peek()?.index ?? this.endIndex;
  }

  nextIsWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }
}

class ExpressionParser {
  constructor(
    private readonly cursor: Cursor,
    private readonly names: readonly string[],
  ) {}

  parse(): ConditionNode {
    const node = this.or(0);

    const extra = this.cursor.peek();
    if (extra?.kind === ')') throw new ConditionError("unmatched ')'", extra.index);
    if (extra?.kind === 'word' && extra.text.toLowerCase() === 'near') {
      throw new ConditionError("'near' is not supported", extra.index);
    }
    if (extra !== undefined) {
      throw new ConditionError(`expected 'and' or 'or' before '${show(extra)}'`, extra.index);
    }
    return node;
  }

  private or(depth: number): ConditionNode {
    const operands = [this.and(depth)];
    while (this.cursor.nextIsWord('or')) {
      this.cursor.next();
      operands.push(this.and(depth));
    }
    return combine('or', operands);
  }

  private and(depth: number): ConditionNode {
    const operands = [this.not(depth)];
    while (this.cursor.nextIsWord('and')) {
      this.cursor.next();
      operands.push(this.not(depth));
    }
    return combine('and', operands);
  }

  private not(depth: number): ConditionNode {
    if (!this.cursor.nextIsWord('not')) return this.primary(depth);

    const at = this.cursor.here();
    this.cursor.next();
    return { kind: 'not', operand: this.not(deeper(depth, at)) };
  }

  private primary(depth: number): ConditionNode {
    const at = this.cursor.here();
    const token = this.cursor.next();
    if (token === undefined) {
      throw new ConditionError('condition ends where a selection was expected', at);
    }

    if (token.kind === '(') {
      const inner = this.or(deeper(depth, at));
      const close = this.cursor.next();
      if (close?.kind !== ')') {
        const where = close?.index ?? this.cursor.here();
        throw new ConditionError(`missing ')' for the '(' at character ${at + 1}`, where);
      }
      return inner;
    }
    if (token.kind !== 'word') {
      throw new ConditionError(`expected a selection but found '${show(token)}'`, token.index);
    }
    return this.word(token.text, token.index);
  }

  private word(text: string, index: number): ConditionNode {
    const lower = text.toLowerCase();

    if (this.cursor.nextIsWord('of')) return this.quantified(text, index);
    if (lower === 'near') throw new ConditionError("'near' is not supported", index);
    if (lower === 'all' || lower === '1') {
      throw new ConditionError(`'${text}' must be followed by 'of'`, index);
    }
    if (CONDITION_KEYWORDS.has(lower)) {
      throw new ConditionError(`expected a selection but found '${text}'`, index);
    }
    if (text.includes('*')) {
      throw new ConditionError(`pattern '${text}' needs '1 of' or 'all of' in front`, index);
    }
    if (!SELECTION_NAME.test(text)) {
      throw new ConditionError(`'${text}' is not a selection name`, index);
    }
    if (!this.names.includes(text)) throw new ConditionError(this.undefinedName(text), index);

    return { kind: 'selection', name: text };
  }

  private quantified(text: string, index: number): ConditionNode {
    const lower = text.toLowerCase();
    if (lower !== '1' && lower !== 'all') {
      throw new ConditionError(`'${text} of' is not supported; use '1 of' or 'all of'`, index);
    }

    this.cursor.next();
    const at = this.cursor.here();
    const target = this.cursor.next();
    if (target?.kind !== 'word') {
      throw new ConditionError(`'${text} of' must be followed by a name pattern or 'them'`, at);
    }

    const quantifier = lower === '1' ? 'one' : 'all';
    return { kind: 'of', quantifier, pattern: target.text, names: this.resolve(target.text, at) };
  }

  private resolve(pattern: string, index: number): string[] {
    if (pattern.toLowerCase() === 'them') {
      const named = this.names.filter((name) => !name.startsWith('_'));
      if (named.length === 0) {
        const reason = "'them' names no selection (selections starting with _ are left out)";
        throw new ConditionError(reason, index);
      }
      return named;
    }

    if (!NAME_PATTERN.test(pattern)) {
      throw new ConditionError(`'${pattern}' is not a selection name pattern`, index);
    }
    const glob = new RegExp(`^${pattern.replace(/\*/g, '.*')}$`);
    const named = this.names.filter((name) => glob.test(name));
    if (named.length === 0) {
      throw new ConditionError(`pattern '${pattern}' matches no selection`, index);
    }
    return named;
  }

  private undefinedName(name: string): string {
    const similar = this.names.find((known) => known.toLowerCase() === name.toLowerCase());
    const hint = similar === undefined ? '' : ` (names are case-sensitive: '${similar}')`;
    return `undefined selection '${name}'${hint}`;
  }
}

function parseAggregation(cursor: Cursor, pipeIndex: number): ConditionAggregation {
  const fn = cursor.next();
  if (fn?.kind !== 'word') {
    const reason = "'|' must be followed by an aggregation such as count() by user > 5";
    throw new ConditionError(reason, fn?.index ?? pipeIndex);
  }
  const name = fn.text.toLowerCase();
  if (name === 'near') throw new ConditionError("'near' is not supported", fn.index);
  if (UNSUPPORTED_FUNCTIONS.has(name)) {
    const reason = `aggregation '${fn.text}' is not supported; only count() is`;
    throw new ConditionError(reason, fn.index);
  }
  if (name !== 'count') throw new ConditionError(`unknown aggregation '${fn.text}'`, fn.index);

  expect(cursor, '(', "expected '(' after count");
  const field = cursor.peek()?.kind === 'word' ? fieldName(cursor) : undefined;
  expect(cursor, ')', "expected ')' to close count(");
  let groupBy: string | undefined;
  if (cursor.nextIsWord('by')) {
    cursor.next();
    groupBy = fieldName(cursor);
  }

  if (cursor.peek()?.kind === ',') {
    throw new ConditionError('grouping by more than one field is not supported', cursor.here());
  }
  const operator = comparison(cursor);
  const threshold = thresholdValue(cursor);

  const extra = cursor.peek();
  if (extra?.kind === '|') throw new ConditionError("only one '|' is supported", extra.index);
  if (extra !== undefined) {
    throw new ConditionError(`unexpected '${show(extra)}' after the threshold`, extra.index);
  }

  return {
    func: 'count',
    ...(field === undefined ? {} : { field }),
    ...(groupBy === undefined ? {} : { groupBy }),
    operator,
    threshold,
  };
}

function expect(cursor: Cursor, kind: '(' | ')', reason: string): void {
  const at = cursor.here();
  if (cursor.next()?.kind !== kind) throw new ConditionError(reason, at);
}

function fieldName(cursor: Cursor): string {
  const at = cursor.here();
  const token = cursor.next();
  if (token?.kind !== 'word') throw new ConditionError('expected a field name', at);

  const problem = token.text.includes('*')
    ? `field name '${token.text}' cannot contain '*'`
    : fieldPathProblem(token.text);
  if (problem !== undefined) throw new ConditionError(problem, token.index);
  return token.text;
}

function comparison(cursor: Cursor): AggregationOperator {
  const at = cursor.here();
  const token = cursor.next();
  if (token?.kind !== 'compare') {
    throw new ConditionError('expected a comparison (>, >=, <, <=, ==) and a number', at);
  }
  const operator = OPERATORS.get(token.text);
  if (operator === undefined) {
    throw new ConditionError(`'${token.text}' is not supported`, token.index);
  }
  return operator;
}

function thresholdValue(cursor: Cursor): number {
  const at = cursor.here();
  const token = cursor.next();
  if (token?.kind !== 'word' || !/^\d+$/.test(token.text)) {
    throw new ConditionError('expected a whole number after the comparison', at);
  }

  const threshold = Number(token.text);
  if (threshold > SIGMA_LIMITS.threshold) {
    throw new ConditionError(`threshold above the limit of ${SIGMA_LIMITS.threshold}`, at);
  }
  return threshold;
}

function combine(kind: 'and' | 'or', operands: ConditionNode[]): ConditionNode {
  const [only] = operands;
  if (operands.length === 1 && only !== undefined) return only;

  // `a and (b and c)` is one `and` of three; the tree stays shallow and reads as written.
  const flat = operands.flatMap((node) =>
    (node.kind === 'and' || node.kind === 'or') && node.kind === kind ? node.operands : [node],
  );
  return { kind, operands: flat };
}

function deeper(depth: number, at: number): number {
  if (depth + 1 > SIGMA_LIMITS.conditionDepth) {
    const reason = `condition nests deeper than ${SIGMA_LIMITS.conditionDepth} levels`;
    throw new ConditionError(reason, at);
  }
  return depth + 1;
}

function show(token: ConditionToken): string {
  return token.kind === 'word' || token.kind === 'compare' ? token.text : token.kind;
}
