/**
 * What the writer believes about the stream: `any` skips the check,
 * `no_stream` wants it empty, `stream_exists` wants at least one event, and a
 * number wants exactly that last revision (revisions count from 0).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export function describeExpected(expected: ExpectedRevision): string {
  return typeof expected === 'number' ? `revision ${expected}` : expected;
}
