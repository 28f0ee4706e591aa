import { parseTimeframe } from './timeframe';

describe('parseTimeframe', () => {
  it.each([
    ['1s', 1000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
  ])('reads %s', (text, ms) => {
    expect(parseTimeframe(text)).toEqual({ ok: true, ms });
  });

  it.each(['', '5', 'm', '5M', '5 m', '-5m', '1.5h', '1w', '5mm', '0s', '8d', '9999999999s'])(
    'refuses %p',
    (text) => {
      expect(parseTimeframe(text).ok).toBe(false);
    },
  );
});
