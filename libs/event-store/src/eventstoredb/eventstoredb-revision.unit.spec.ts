import { InvalidEventError } from '../event-store.errors';
import { ExpectedRevision } from '../expected-revision';
import {
  toActualRevision,
  toEsdbExpectedRevision,
  toReadRevision,
  toRevisionNumber,
} from './eventstoredb-revision';

describe('EventStoreDB revisions', () => {
  it.each<[ExpectedRevision, unknown]>([
    ['any', 'any'],
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    [0, 0n],
    [41, 41n],
    [Number.MAX_SAFE_INTEGER, 9_007_199_254_740_991n],
  ])('maps the expected revision %p to %p', (expected, mapped) => {
    expect(toEsdbExpectedRevision(expected)).toBe(mapped);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1, 'latest'])(
    'refuses %p as an expected revision',
    (expected) => {
      expect(() => toEsdbExpectedRevision(expected as ExpectedRevision)).toThrow(InvalidEventError);
    },
  );

  it('reports a missing stream as revision -1 and a present one as its number', () => {
    expect(toActualRevision('no_stream')).toBe(-1);
    expect(toActualRevision(0n)).toBe(0);
    expect(toActualRevision(9_999n)).toBe(9_999);
  });

  it('converts revisions only while they stay exact as numbers', () => {
    expect(toRevisionNumber(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toRevisionNumber(9_007_199_254_740_992n)).toThrow(RangeError);
    expect(() => toRevisionNumber(-1n)).toThrow(RangeError);
  });

  it('refuses a read revision the server would refuse', () => {
    expect(toReadRevision(7)).toBe(7n);
    expect(() => toReadRevision(-1)).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => toReadRevision(0.5)).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});
