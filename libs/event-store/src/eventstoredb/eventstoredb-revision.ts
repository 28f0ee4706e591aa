import {
  ANY,
  AppendExpectedRevision,
  CurrentRevision,
  NO_STREAM,
  STREAM_EXISTS,
} from '@eventstore/db-client';

import { ValidationError } from '@observe/core';

import { InvalidEventError } from '../event-store.errors';
import { ExpectedRevision } from '../expected-revision';

/** Our expected revision in the client's terms; an exact one becomes a bigint. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) {
    return BigInt(expected);
  }
  throw new InvalidEventError('an exact expected revision is a whole number from 0', [
    { field: 'expectedRevision', message: 'any, no_stream, stream_exists or a revision from 0' },
  ]);
}

/** The stream's last revision as the port reports it: -1 when it has no events. */
export function toActualRevision(current: CurrentRevision): number {
  return current === NO_STREAM ? -1 : toRevisionNumber(current);
}

/**
 * Revisions are unsigned 64-bit on the server. A stream longer than 2^53
 * events is not one we write, so a larger value means a corrupt answer.
 */
export function toRevisionNumber(revision: bigint): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`stream revision ${revision} is outside the safe integer range`);
  }
  return Number(revision);
}

/** A revision to read from; refuses what the server would refuse less clearly. */
export function toReadRevision(revision: number): bigint {
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw new ValidationError('a stream revision is a whole number from 0', [
      { field: 'fromRevision', message: 'must be a whole number from 0' },
    ]);
  }
  return BigInt(revision);
}
