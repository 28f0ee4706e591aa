import { InvalidPositionError } from '../event-store.errors';
import {
  compareEsdbCheckpoints,
  formatEsdbPosition,
  parseEsdbPosition,
} from './eventstoredb-position';

describe('EventStoreDB positions', () => {
  it('round-trips commit and prepare, up to the largest 64-bit offset', () => {
    const position = { commit: 18_446_744_073_709_551_615n, prepare: 42n };

    const text = formatEsdbPosition(position);

    expect(text).toBe('18446744073709551615:42');
    expect(parseEsdbPosition(text)).toEqual(position);
  });

  it('keeps start symbolic, before an event at offset 0', () => {
    expect(parseEsdbPosition(undefined)).toBe('start');
    expect(parseEsdbPosition('start')).toBe('start');
    expect(compareEsdbCheckpoints('start', '0:0')).toBeLessThan(0);
    expect(compareEsdbCheckpoints('0:0', 'start')).toBeGreaterThan(0);
    expect(compareEsdbCheckpoints('start', 'start')).toBe(0);
  });

  it('orders by commit position, then prepare position, numerically', () => {
    const sorted = ['9:9', '10:2', '10:10', '100:0'];

    const shuffled = [...sorted].reverse().sort(compareEsdbCheckpoints);

    expect(shuffled).toEqual(sorted);
    expect(compareEsdbCheckpoints('10:10', '10:10')).toBe(0);
  });

  it.each(['', '12', '12-34', '1:2:3', '-1:0', '1:x', ' 1:2', '18446744073709551616:0'])(
    'refuses %p as a position it did not produce',
    (text) => {
      expect(() => parseEsdbPosition(text)).toThrow(InvalidPositionError);
    },
  );

  it('refuses a PostgreSQL position, so checkpoints cannot cross stores', () => {
    expect(() => compareEsdbCheckpoints('812-4031', 'start')).toThrow(
      expect.objectContaining({ code: 'validation' }),
    );
  });
});
