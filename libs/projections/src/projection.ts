import { EntityManager } from 'typeorm';

import { SchemaDefinition, SqlStatement } from '@observe/database';
import { EventFilter, RecordedEvent } from '@observe/event-store';

/**
 * A read model built from the event stream. A batch lands in the transaction
 * that also moves the checkpoint, whole or not at all, through one of:
 * - `writes`, for a projection that only writes: the batch's statements, sent
 *   with BEGIN, the checkpoint and COMMIT in one round trip;
 * - `apply`, for one that must read or decide as it goes.
 * Either must be deterministic: a rebuild must give the live rows.
 */
export interface Projection {
  readonly name: string;
  readonly filter?: EventFilter;
  /** DDL for the tables it owns. */
  readonly schema: SchemaDefinition;
  /** The tables a rebuild empties before replaying from the start. */
  readonly tables: string[];
  writes?(events: RecordedEvent[]): SqlStatement[];
  apply?(events: RecordedEvent[], manager: EntityManager): Promise<void>;
}

export type ProjectionState = 'starting' | 'standby' | 'running' | 'halted' | 'stopped';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  position: string;
  lastError?: string;
  failedEventId?: string;
  updatedAt?: string;
}
