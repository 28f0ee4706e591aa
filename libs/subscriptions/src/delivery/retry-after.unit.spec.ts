import { parseRetryAfter } from './retry-after';

const now = new Date('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:01:30 GMT', now)).toBe(90_000);
  });

  it('answers zero for a date already past', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither', () => {
    for (const value of [undefined, '', 'soon', 'Sunday', '-5', '1.5', '2026-05-04']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});
