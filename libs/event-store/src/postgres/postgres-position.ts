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
 * Orders two positions without parsing them into numbers: subscriptions and
 * read-your-writes waiters compare positions many times per event. Decimal
 * digits compare by length, then as text, once leading zeros are gone.
 */
export function comparePostgresPositions(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
  if (a === b) return 0;

  const [leftTransaction, leftGlobal] = decimalParts(a);
  const [rightTransaction, rightGlobal] = decimalParts(b);
  return (
    compareDecimals(leftTransaction, rightTransaction) || compareDecimals(leftGlobal, rightGlobal)
  );
}

function decimalParts(checkpoint: GlobalCheckpoint | undefined): [string, string] {
  if (checkpoint === undefined || checkpoint === 'start') return ['0', '0'];
  if (!FORMAT.test(checkpoint)) throw new InvalidPositionError(checkpoint);

  const dash = checkpoint.indexOf('-');
  return [
    withoutLeadingZeros(checkpoint.slice(0, dash)),
    withoutLeadingZeros(checkpoint.slice(dash + 1)),
  ];
}

function withoutLeadingZeros(digits: string): string {
  return digits.length > 1 && digits.startsWith('0') ? digits.replace(/^0+(?=\d)/, '') : digits;
}

function compareDecimals(left: string, right: string): number {
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
