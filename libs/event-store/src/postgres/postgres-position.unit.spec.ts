import { InvalidPositionError } from '../event-store.errors';
import { comparePostgresPositions, formatPosition, parsePosition } from './postgres-position';

/** The order by value, through BigInt: what the text comparison must agree with. */
function byValue(a: string, b: string): number {
  const left = parsePosition(a);
  const right = parsePosition(b);
  if (left.transactionId !== right.transactionId) {
    return left.transactionId < right.transactionId ? -1 : 1;
  }
  if (left.globalPosition === right.globalPosition) return 0;
  return left.globalPosition < right.globalPosition ? -1 : 1;
}

describe('PostgreSQL positions', () => {
  it('orders positions by transaction, then by global position, as numbers', () => {
    const positions = [
      'start',
      formatPosition(0n, 0n),
      formatPosition(9n, 100n),
      formatPosition(10n, 2n),
      formatPosition(10n, 10n),
      formatPosition(10n, 9n),
      formatPosition(123456789012n, 1n),
      formatPosition(18446744073709551615n, 18446744073709551615n),
      '007-0010',
      '7-10',
      '0-0',
    ];

    for (const a of positions) {
      for (const b of positions) {
        expect([a, b, comparePostgresPositions(a, b)]).toEqual([a, b, byValue(a, b)]);
      }
    }
  });

  it('agrees with the numeric order on random positions', () => {
    const random = () => BigInt(Math.floor(Math.random() * 10 ** Math.ceil(Math.random() * 15)));
    for (let index = 0; index < 2_000; index += 1) {
      const a = formatPosition(random(), random());
      const b = formatPosition(random(), random());
      expect(comparePostgresPositions(a, b)).toBe(byValue(a, b));
    }
  });

  it('refuses what is not a position', () => {
    expect(() => comparePostgresPositions('12-x', '1-1')).toThrow(InvalidPositionError);
    expect(() => comparePostgresPositions('1-1', '-1-2')).toThrow(InvalidPositionError);
  });
});
