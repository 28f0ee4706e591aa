import { randomUUID } from 'node:crypto';

import { matchAppendedEvents } from './appended-events-match';

const stored = (...ids: string[]): { id: string }[] => ids.map((id) => ({ id }));

describe('matchAppendedEvents', () => {
  const [a, b, c, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

  it('recognises a retry that already landed where it was expected', () => {
    expect(matchAppendedEvents([a, b, c], stored(a, b, c))).toBe('all');
  });

  it('compares ids without regard to case, as the server normalises them', () => {
    expect(matchAppendedEvents([a.toUpperCase()], stored(a))).toBe('all');
  });

  it('sees a genuine conflict when the place holds other events or nothing', () => {
    expect(matchAppendedEvents([a, b], stored(other))).toBe('none');
    expect(matchAppendedEvents([a, b], [])).toBe('none');
  });

  it('flags ids reused by a different append', () => {
    expect(matchAppendedEvents([a, b], stored(a, other))).toBe('some');
    expect(matchAppendedEvents([a, b], stored(a))).toBe('some');
    expect(matchAppendedEvents([a, b], stored(b, a))).toBe('some');
  });
});
