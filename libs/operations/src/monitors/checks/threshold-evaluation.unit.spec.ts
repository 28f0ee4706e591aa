import { breaches } from './threshold-evaluation';

describe('breaches', () => {
  it.each([
    [801, 'gt', 800, true],
    [800, 'gt', 800, false],
    [800, 'gte', 800, true],
    [0, 'lt', 1, true],
    [1, 'lt', 1, false],
    [1, 'lte', 1, true],
  ] as const)('%d %s %d is %s', (value, operator, threshold, expected) => {
    expect(breaches(value, operator, threshold)).toBe(expected);
  });
});
