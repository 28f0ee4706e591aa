import { ConditionError } from './condition-lexer';
import { parseCondition } from './condition-parser';

const names = ['sel', 'selection_a', 'selection_b', 'filter', '_helper'];

function failure(text: string): ConditionError {
  try {
    parseCondition(text, names);
  } catch (error) {
    if (error instanceof ConditionError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to be refused`);
}

describe('parseCondition: expressions', () => {
  it('binds not tighter than and, and tighter than or', () => {
    const { condition } = parseCondition('not sel and filter or selection_a', names);

    expect(condition).toEqual({
      kind: 'or',
      operands: [
        {
          kind: 'and',
          operands: [
            { kind: 'not', operand: { kind: 'selection', name: 'sel' } },
            { kind: 'selection', name: 'filter' },
          ],
        },
        { kind: 'selection', name: 'selection_a' },
      ],
    });
  });

  it('lets parentheses override precedence', () => {
    const { condition } = parseCondition('not (sel or filter)', names);

    expect(condition).toEqual({
      kind: 'not',
      operand: {
        kind: 'or',
        operands: [
          { kind: 'selection', name: 'sel' },
          { kind: 'selection', name: 'filter' },
        ],
      },
    });
  });

  it('resolves 1 of / all of patterns to the selections they name', () => {
    expect(parseCondition('1 of selection_*', names).condition).toEqual({
      kind: 'of',
      quantifier: 'one',
      pattern: 'selection_*',
      names: ['selection_a', 'selection_b'],
    });
    expect(parseCondition('all of them', names).condition).toEqual({
      kind: 'of',
      quantifier: 'all',
      pattern: 'them',
      names: ['sel', 'selection_a', 'selection_b', 'filter'],
    });
  });

  it('reads keywords in any case', () => {
    const { condition } = parseCondition('sel AND NOT filter', names);

    expect(condition.kind).toBe('and');
  });
});

describe('parseCondition: aggregations', () => {
  it.each([
    ['sel | count() > 5', { func: 'count', operator: '>', threshold: 5 }],
    [
      'sel | count() by user >= 10',
      { func: 'count', groupBy: 'user', operator: '>=', threshold: 10 },
    ],
    [
      'sel|count(user.name) by source.ip > 20',
      { func: 'count', field: 'user.name', groupBy: 'source.ip', operator: '>', threshold: 20 },
    ],
    ['sel | count() < 2', { func: 'count', operator: '<', threshold: 2 }],
    ['sel | count() <= 2', { func: 'count', operator: '<=', threshold: 2 }],
    ['sel | count() = 3', { func: 'count', operator: '==', threshold: 3 }],
    ['sel | count() == 3', { func: 'count', operator: '==', threshold: 3 }],
  ])('%s', (text, aggregation) => {
    const parsed = parseCondition(text, names);

    expect(parsed.aggregation).toStrictEqual(aggregation);
    expect(parsed.condition).toEqual({ kind: 'selection', name: 'sel' });
  });
});

describe('parseCondition: refusals', () => {
  it.each([
    ['sel and nope', /undefined selection 'nope'/, 8],
    ['SEL', /undefined selection 'SEL' \(names are case-sensitive: 'sel'\)/, 0],
    ['sel and', /ends where a selection was expected/, 7],
    ['(sel', /missing '\)'/, 4],
    ['sel)', /unmatched '\)'/, 3],
    ['sel filter', /expected 'and' or 'or' before 'filter'/, 4],
    ['sel near filter', /'near' is not supported/, 4],
    ['near sel', /'near' is not supported/, 0],
    ['selection_*', /needs '1 of' or 'all of'/, 0],
    ['2 of selection_*', /use '1 of' or 'all of'/, 0],
    ['1 of nothing_*', /matches no selection/, 5],
    ['all sel', /'all' must be followed by 'of'/, 0],
    ['sel and them', /expected a selection but found 'them'/, 8],
    ['sel & filter', /unexpected character '&'/, 4],
    ['', /condition is empty/, 0],
    ['sel | sum(x) > 5', /aggregation 'sum' is not supported/, 6],
    ['sel | near filter', /'near' is not supported/, 6],
    ['sel | count() by a, b > 5', /more than one field/, 18],
    ['sel | count() by user', /expected a comparison/, 21],
    ['sel | count() > five', /whole number/, 16],
    ['sel | count() > 1.5', /whole number/, 16],
    ['sel | count() > 5000', /limit of 1000/, 16],
    ['sel | count() != 5', /'!=' is not supported/, 14],
    ['sel | count() > 5 | count() > 6', /only one '\|'/, 18],
    ['sel | count(a*) > 5', /cannot contain '\*'/, 12],
    ['sel | count(a..b) > 5', /empty part/, 12],
  ])('%s', (text, reason, index) => {
    const error = failure(text);

    expect(error.reason).toMatch(reason);
    expect(error.index).toBe(index);
  });

  it('refuses nesting beyond the depth limit', () => {
    const deep = `${'('.repeat(40)}sel${')'.repeat(40)}`;

    expect(failure(deep).reason).toMatch(/nests deeper than 32/);
    expect(failure(`${'not '.repeat(40)}sel`).reason).toMatch(/nests deeper than 32/);
  });

  it('refuses them when every selection starts with _', () => {
    expect(() => parseCondition('1 of them', ['_a'])).toThrow(/'them' names no selection/);
  });
});
