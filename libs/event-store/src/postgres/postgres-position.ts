import { GlobalCheckpoint } from '../event-store.port';
import { InvalidPositionError } from '../event-store.errors';

/** A PostgreSQL position: the writer's transaction id, then the global sequence. */
export interface PostgresPosition {
  transactionId: bigint;
  globalPosition: bigint;
}

const START: PostgresPosition = { transactionId: 0n, globalPosition: 0n };
const FORMAT = /^(\d{1,20})-(\d{1,20})$/;

export function formatPosition(
  transactionId: string | bigint,
  globalPosition: string | bigint,
): string {
  return `${transactionId}-${globalPosition}`;
}

export function parsePosition(checkpoint: GlobalCheckpoint | undefined): PostgresPosition {
  if (checkpoint === undefined || checkpoint === 'start') return START;

  const match = FORMAT.exec(checkpoint);
  if (!match) throw new InvalidPositionError(checkpoint);
  return { transactionId: BigInt(match[1]), globalPosition: BigInt(match[2]) };
}

/**
 * Orders two positions without parsing them into numbers or cutting them up:
 * subscriptions and read-your-writes waiters compare positions many times
 * per event. Decimal digits compare by length, then digit by digit, once
 * leading zeros are skipped.
 */
export function comparePostgresPositions(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
  if (a === b) return 0;

  const left = canonical(a);
  const right = canonical(b);
  const leftDash = left.indexOf('-');
  const rightDash = right.indexOf('-');
  return (
    compareDigits(left, 0, leftDash, right, 0, rightDash) ||
    compareDigits(left, leftDash + 1, left.length, right, rightDash + 1, right.length)
  );
}

function canonical(checkpoint: GlobalCheckpoint | undefined): string {
  if (checkpoint === undefined || checkpoint === 'start') return '0-0';
  if (!FORMAT.test(checkpoint)) throw new InvalidPositionError(checkpoint);
  return checkpoint;
}

/** Compares the decimals a[aFrom, aTo) and b[bFrom, bTo). */
function compareDigits(
  a: string,
  aFrom: number,
  aTo: number,
  b: string,
  bFrom: number,
  bTo: number,
): number {
  while (aFrom < aTo - 1 && a.charCodeAt(aFrom) === ZERO) aFrom += 1;
  while (bFrom < bTo - 1 && b.charCodeAt(bFrom) === ZERO) bFrom += 1;
  if (aTo - aFrom !== bTo - bFrom) return aTo - aFrom < bTo - bFrom ? -1 : 1;

  for (; aFrom < aTo; aFrom += 1, bFrom += 1) {
    const difference = a.charCodeAt(aFrom) - b.charCodeAt(bFrom);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

const ZERO = '0'.charCodeAt(0);
