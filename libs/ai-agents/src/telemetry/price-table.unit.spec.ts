import { costOf, DEFAULT_PRICES, parsePriceTable, priceOf } from './price-table';

describe('price table', () => {
  it('takes the longest model name a versioned model starts with', () => {
    expect(priceOf(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf(DEFAULT_PRICES, 'GPT-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(priceOf(DEFAULT_PRICES, 'claude-sonnet-4-20250514')).toEqual({ input: 3, output: 15 });
    expect(priceOf(DEFAULT_PRICES, 'llama-3-70b')).toBeUndefined();
    expect(priceOf(DEFAULT_PRICES, null)).toBeUndefined();
  });

  it('prices tokens per million', () => {
    expect(costOf({ input: 2.5, output: 10 }, 1_000, 500)).toBeCloseTo(0.0075, 12);
  });

  it('merges AI_AGENT_PRICES over the defaults', () => {
    const table = parsePriceTable(
      '{"my-model": {"input": 1, "output": 2}, "gpt-4o": {"input": 0, "output": 0}}',
    );

    expect(table['my-model']).toEqual({ input: 1, output: 2 });
    expect(table['gpt-4o']).toEqual({ input: 0, output: 0 });
    expect(table['gpt-4o-mini']).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
  });

  it('refuses malformed tables with the variable and the model named', () => {
    expect(() => parsePriceTable('nope')).toThrow(/AI_AGENT_PRICES: is not valid JSON/);
    expect(() => parsePriceTable('[1]')).toThrow(/must be a JSON object/);
    expect(() => parsePriceTable('{"m": {"input": -1, "output": 2}}')).toThrow(
      /AI_AGENT_PRICES: m must be/,
    );
  });
});
