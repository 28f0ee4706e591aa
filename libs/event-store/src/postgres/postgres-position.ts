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

export function comparePostgresPositions(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
  const left = parsePosition(a);
  const right = parsePosition(b);
  if (left.transactionId !== right.transactionId) {
    return left.transactionId < right.transactionId ? -1 : 1;
  }
  if (left.globalPosition === right.globalPosition) return 0;
  return left.globalPosition < right.globalPosition ? -1 : 1;
}
