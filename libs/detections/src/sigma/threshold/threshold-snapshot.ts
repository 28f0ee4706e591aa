import { z } from 'zod';

import { SigmaAggregation } from '../sigma-rule';

/**
 * The persisted state of a ThresholdWindow. Events are stored as given, so they must be
 * JSON-compatible for the snapshot to survive JSON.stringify.
 */
export interface ThresholdWindowSnapshot {
  version: 1;
  aggregation: SigmaAggregation;
  /** Latest event time seen by any group; null before the first event. */
  latestMs: number | null;
  /** Least recently updated group first. */
  groups: ThresholdGroupSnapshot[];
}

export interface ThresholdGroupSnapshot {
  key: string;
  latestMs: number;
  /** The group cannot fire again before this time; null when it never fired. */
  quietUntilMs: number | null;
  /** Oldest first. */
  entries: { timestampMs: number; value?: string; event: Record<string, unknown> }[];
}

const finite = z.number().finite();

export const thresholdSnapshotSchema = z.object({
  version: z.literal(1),
  aggregation: z.object({
    func: z.literal('count'),
    field: z.string().optional(),
    groupBy: z.string().optional(),
    operator: z.enum(['>', '>=', '<', '<=', '==']),
    threshold: z.number().int().nonnegative(),
    timeframeMs: z.number().int().positive(),
  }),
  latestMs: finite.nullable(),
  groups: z.array(
    z.object({
      key: z.string(),
      latestMs: finite,
      quietUntilMs: finite.nullable(),
      entries: z.array(
        z.object({
          timestampMs: finite,
          value: z.string().optional(),
          event: z.record(z.unknown()),
        }),
      ),
    }),
  ),
});

export function sameAggregation(a: SigmaAggregation, b: SigmaAggregation): boolean {
  return (
    a.func === b.func &&
    a.field === b.field &&
    a.groupBy === b.groupBy &&
    a.operator === b.operator &&
    a.threshold === b.threshold &&
    a.timeframeMs === b.timeframeMs
  );
}
