import { DomainError, ValidationError } from '@observe/core';

import { describeExpected, ExpectedRevision } from './expected-revision';

/** Another writer moved the stream first: reload, decide again, retry. */
export class WrongExpectedRevisionError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or -1 when it has no events. */
    readonly actual: number,
  ) {
    super(
      'concurrency',
      `stream ${streamId} expected ${describeExpected(expected)} but is at revision ${actual}`,
      { streamId, expected, actual },
    );
  }
}

export class InvalidEventError extends ValidationError {}

export class InvalidPositionError extends ValidationError {
  constructor(position: string) {
    super(`"${position}" is not a position of this event store`, [
      { field: 'position', message: 'unknown format' },
    ]);
  }
}
