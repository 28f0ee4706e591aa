import { EntityManager } from 'typeorm';

import { SchemaDefinition } from '@observe/database';
import { EventFilter, RecordedEvent } from '@observe/event-store';

/**
 * A read model built from the event stream. `apply` runs inside the
 * transaction that also moves the checkpoint, so a batch lands whole or not at
 * all. `apply` must be deterministic: a rebuild must give the live rows.
 */
export interface Projection {
  readonly name: string;
  readonly filter?: EventFilter;
  /** DDL for the tables it owns. */
  readonly schema: SchemaDefinition;
  /** The tables a rebuild empties before replaying from the start. */
  readonly tables: string[];
  apply(events: RecordedEvent[], manager: EntityManager): Promise<void>;
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
