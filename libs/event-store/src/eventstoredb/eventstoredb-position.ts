import { Position } from '@eventstore/db-client';

import { InvalidPositionError } from '../event-store.errors';
import { GlobalCheckpoint } from '../event-store.port';

/**
 * An EventStoreDB position as the port sees it: `<commit>:<prepare>`, both
 * unsigned 64-bit log offsets. The colon keeps it apart from PostgreSQL's
 * `<xid>-<sequence>`, so a checkpoint taken on one store is refused by the other.
 */
const FORMAT = /^(\d{1,20}):(\d{1,20})$/;
const MAX_OFFSET = 0xffff_ffff_ffff_ffffn;

export function formatEsdbPosition(position: Position): string {
  return `${position.commit}:${position.prepare}`;
}

/** `start` stays symbolic: it is before every event, including one at offset 0. */
export function parseEsdbPosition(checkpoint: GlobalCheckpoint | undefined): Position | 'start' {
  if (checkpoint === undefined || checkpoint === 'start') return 'start';

  const match = FORMAT.exec(checkpoint);
  if (!match) throw new InvalidPositionError(checkpoint);
  const commit = BigInt(match[1]);
  const prepare = BigInt(match[2]);
  if (commit > MAX_OFFSET || prepare > MAX_OFFSET) throw new InvalidPositionError(checkpoint);
  return { commit, prepare };
}

/** The log's own order: commit position first, then prepare position. */
export function compareEsdbPositions(a: Position | 'start', b: Position | 'start'): number {
  if (a === 'start' || b === 'start') {
    if (a === b) return 0;
    return a === 'start' ? -1 : 1;
  }
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare === b.prepare) return 0;
  return a.prepare < b.prepare ? -1 : 1;
}

export function compareEsdbCheckpoints(a: GlobalCheckpoint, b: GlobalCheckpoint): number {
  return compareEsdbPositions(parseEsdbPosition(a), parseEsdbPosition(b));
}
