import { ValidationError } from '@observe/core';

import { resolveField } from '../match/field-path';
import { AggregationOperator, SigmaAggregation } from '../sigma-rule';
import {
  sameAggregation,
  ThresholdGroupSnapshot,
  thresholdSnapshotSchema,
  ThresholdWindowSnapshot,
} from './threshold-snapshot';

export type ThresholdEvent = Readonly<Record<string, unknown>>;

export interface ThresholdEvidence {
  timestampMs: number;
  event: ThresholdEvent;
}

export interface ThresholdTrigger {
  /** The group-by value; absent when the rule does not group. */
  group?: string;
  /** Events (or distinct values with count(field)) in the window, at most threshold + 1. */
  count: number;
  /** The window is (windowStartMs, windowEndMs]; windowEndMs is the firing event's time. */
  windowStartMs: number;
  windowEndMs: number;
  /** The events in the window, oldest first; one per value with count(field). */
  evidence: ThresholdEvidence[];
}

export type ThresholdSkip =
  /** The comparison does not hold for the window yet. */
  | 'not_met'
  /** The group fired less than one timeframe ago. */
  | 'quiet'
  /** Older than one timeframe before the latest event seen; it can no longer count. */
  | 'late'
  /** The event lacks the group-by field. */
  | 'no_group_value'
  /** The event lacks the field of count(field). */
  | 'no_field_value';

export type ThresholdOutcome =
  { fired: true; trigger: ThresholdTrigger } | { fired: false; reason: ThresholdSkip };

export interface ThresholdWindowOptions {
  /** Groups kept at most; the least recently updated are forgotten first. Default 10 000. */
  maxGroups?: number;
}

interface Entry {
  timestampMs: number;
  value?: string;
  event: ThresholdEvent;
}

interface GroupState {
  latestMs: number;
  quietUntilMs: number;
  entries: Entry[];
}

const DEFAULT_MAX_GROUPS = 10_000;

/**
 * Counts matching events per group over a sliding timeframe, for rules ending in
 * `| count([field]) [by group] <op> <n>`. Deterministic: time comes from the timestamps
 * passed in, never from a clock. Semantics (see docs/sigma-subset.md):
 *
 * - The window of a group at time T holds its events with timestamps in (T - timeframe, T],
 *   T being the latest timestamp seen for the group.
 * - Each observed event updates the window, then the comparison is checked once; when it
 *   holds, the group fires with the window's events as evidence.
 * - After firing at T the group stays quiet until T + timeframe: events are still counted but
 *   cannot fire. So a burst fires once, and the next firing is built only from later events.
 * - An event older than one timeframe before the latest event of any group is `late` and ignored.
 */
export class ThresholdWindow {
  private readonly groups = new Map<string, GroupState>();
  private latestMs = -Infinity;
  private readonly maxGroups: number;
  /** The comparison is decided by at most threshold + 1 entries, so no more are kept. */
  private readonly keep: number;

  constructor(
    readonly aggregation: SigmaAggregation,
    options: ThresholdWindowOptions = {},
  ) {
    // The group just updated must survive, so at least one is kept.
    this.maxGroups = Math.max(1, options.maxGroups ?? DEFAULT_MAX_GROUPS);
    this.keep = aggregation.threshold + 1;
  }

  /** Records one event that matched the rule's condition, at its own timestamp. */
  observe(event: ThresholdEvent, timestampMs: number): ThresholdOutcome {
    if (!Number.isFinite(timestampMs)) {
      throw new ValidationError('event timestamp must be a finite number of milliseconds');
    }

    const { groupBy, field, timeframeMs } = this.aggregation;
    const key = groupBy === undefined ? '' : keyOf(resolveField(event, groupBy));
    if (key === undefined) return { fired: false, reason: 'no_group_value' };
    const value = field === undefined ? undefined : keyOf(resolveField(event, field));
    if (field !== undefined && value === undefined) {
      return { fired: false, reason: 'no_field_value' };
    }
    if (timestampMs <= this.latestMs - timeframeMs) return { fired: false, reason: 'late' };

    this.latestMs = Math.max(this.latestMs, timestampMs);
    const group = this.touch(key, timestampMs);
    group.latestMs = Math.max(group.latestMs, timestampMs);
    this.record(group, { timestampMs, value, event });

    const outcome = this.decide(key, group);
    this.forgetIdleGroups();
    return outcome;
  }

  toJSON(): ThresholdWindowSnapshot {
    const groups: ThresholdGroupSnapshot[] = [...this.groups].map(([key, group]) => ({
      key,
      latestMs: group.latestMs,
      quietUntilMs: Number.isFinite(group.quietUntilMs) ? group.quietUntilMs : null,
      entries: group.entries.map((entry) => ({ ...entry, event: { ...entry.event } })),
    }));
    const latestMs = Number.isFinite(this.latestMs) ? this.latestMs : null;
    return { version: 1, aggregation: { ...this.aggregation }, latestMs, groups };
  }

  /**
   * Restores a window from toJSON output. Refuses a snapshot that is malformed or was taken
   * for other aggregation settings (the rule changed): start a new window then.
   */
  static fromJSON(
    aggregation: SigmaAggregation,
    snapshot: unknown,
    options: ThresholdWindowOptions = {},
  ): ThresholdWindow {
    const parsed = thresholdSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new ValidationError('threshold window snapshot is malformed', [], {
        issues: parsed.error.issues.map((issue) => issue.message),
      });
    }
    if (!sameAggregation(parsed.data.aggregation, aggregation)) {
      throw new ValidationError('threshold window snapshot was taken for another aggregation');
    }

    const window = new ThresholdWindow(aggregation, options);
    window.latestMs = parsed.data.latestMs ?? -Infinity;
    for (const group of parsed.data.groups) {
      window.groups.set(group.key, {
        latestMs: group.latestMs,
        quietUntilMs: group.quietUntilMs ?? -Infinity,
        entries: group.entries.map((entry) => ({ ...entry })),
      });
    }
    return window;
  }

  /** The group's state, moved to the back so the map stays in least-recently-updated order. */
  private touch(key: string, timestampMs: number): GroupState {
    const group = this.groups.get(key) ?? {
      latestMs: timestampMs,
      quietUntilMs: -Infinity,
      entries: [],
    };
    this.groups.delete(key);
    this.groups.set(key, group);
    return group;
  }

  private record(group: GroupState, entry: Entry): void {
    const { entries } = group;

    // With count(field) only the latest event of each value is kept; values are what count.
    if (entry.value !== undefined) {
      const same = entries.findIndex((kept) => kept.value === entry.value);
      const existing = entries[same];
      if (existing !== undefined && existing.timestampMs > entry.timestampMs) return;
      if (same !== -1) entries.splice(same, 1);
    }

    let at = entries.length;
    while (at > 0 && (entries[at - 1]?.timestampMs ?? -Infinity) > entry.timestampMs) at -= 1;
    entries.splice(at, 0, entry);

    const oldest = group.latestMs - this.aggregation.timeframeMs;
    while ((entries[0]?.timestampMs ?? Infinity) <= oldest) entries.shift();
    if (entries.length > this.keep) entries.splice(0, entries.length - this.keep);
  }

  private decide(key: string, group: GroupState): ThresholdOutcome {
    const { operator, threshold, timeframeMs, groupBy } = this.aggregation;
    if (group.latestMs < group.quietUntilMs) return { fired: false, reason: 'quiet' };

    const count = group.entries.length;
    if (!compare(count, operator, threshold)) return { fired: false, reason: 'not_met' };

    group.quietUntilMs = group.latestMs + timeframeMs;
    const trigger: ThresholdTrigger = {
      ...(groupBy === undefined ? {} : { group: key }),
      count,
      windowStartMs: group.latestMs - timeframeMs,
      windowEndMs: group.latestMs,
      evidence: group.entries.map(({ timestampMs, event }) => ({ timestampMs, event })),
    };
    return { fired: true, trigger };
  }

  /**
   * Groups whose latest event is two timeframes behind the latest overall can no longer change
   * any outcome (later events for them are either late or start a fresh window), so they go.
   * Past maxGroups the least recently updated go too, which can lose counts: a stated limit.
   */
  private forgetIdleGroups(): void {
    const idleBefore = this.latestMs - 2 * this.aggregation.timeframeMs;
    for (const [key, group] of this.groups) {
      if (group.latestMs > idleBefore && this.groups.size <= this.maxGroups) break;
      this.groups.delete(key);
    }
  }
}

function compare(count: number, operator: AggregationOperator, threshold: number): boolean {
  switch (operator) {
    case '>':
      return count > threshold;
    case '>=':
      return count >= threshold;
    case '<':
      return count < threshold;
    case '<=':
      return count <= threshold;
    case '==':
      return count === threshold;
  }
}

/** Group and counted values as text; a missing or null field has none. */
function keyOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
