import {
  CompiledRule,
  ParsedSigmaRule,
  resolveField,
  SigmaAggregation,
  ThresholdWindow,
} from '../sigma';
import { deterministicUuid } from '@observe/core';

/** An ingested security event as the detector evaluates it. */
export interface CandidateEvent {
  id: string;
  occurredAtMs: number;
  event: Readonly<Record<string, unknown>>;
}

/** An active rule version, with its threshold window when the condition counts. */
export interface RuleInEffect {
  id: string;
  version: number;
  compiled: CompiledRule;
  window?: ThresholdWindow;
}

export interface EvidenceRef {
  id: string;
  occurredAtMs: number;
}

/** One detection: a rule matched (or its threshold was crossed). */
export interface Firing {
  /** Derived from the rule version and the evidence, so a replay gets the same id. */
  detectionId: string;
  ruleId: string;
  ruleVersion: number;
  rule: ParsedSigmaRule;
  groupBy: string | null;
  group: string | null;
  count: number;
  windowStartMs: number;
  windowEndMs: number;
  /** The matching events, oldest first. */
  evidence: EvidenceRef[];
}

export interface Evaluation {
  firings: Firing[];
  /** Rules whose window changed and must be stored. */
  touched: Set<string>;
}

/**
 * The key under which a window keeps an event's id. Windows hold a reduced
 * copy of each event (this id plus the grouped and counted fields), so their
 * persisted snapshots stay small; the full events stay in the ingestion table.
 */
export const EVENT_ID_KEY = '@observe.securityEventId';

/**
 * Evaluates events, in order, against the rules. Pure apart from the windows
 * it is given, which it advances: the same events and windows always give the
 * same firings with the same ids.
 */
export function evaluateEvents(events: CandidateEvent[], rules: RuleInEffect[]): Evaluation {
  const firings: Firing[] = [];
  const touched = new Set<string>();

  for (const candidate of events) {
    for (const rule of rules) {
      if (!rule.compiled.matches(candidate.event)) continue;

      if (!rule.window) {
        firings.push(singleEventFiring(rule, candidate));
        continue;
      }
      touched.add(rule.id);
      const reduced = reducedEvent(candidate, rule.window.aggregation);
      const outcome = rule.window.observe(reduced, candidate.occurredAtMs);
      if (!outcome.fired) continue;

      const evidence = outcome.trigger.evidence.map((entry) => ({
        id: String(entry.event[EVENT_ID_KEY]),
        occurredAtMs: entry.timestampMs,
      }));
      const group = outcome.trigger.group ?? null;
      const last = evidence[evidence.length - 1]?.id ?? candidate.id;
      firings.push({
        detectionId: deterministicUuid(
          'detection',
          rule.id,
          rule.version,
          group ?? '',
          outcome.trigger.windowEndMs,
          last,
        ),
        ruleId: rule.id,
        ruleVersion: rule.version,
        rule: rule.compiled.rule,
        groupBy: rule.window.aggregation.groupBy ?? null,
        group,
        count: outcome.trigger.count,
        windowStartMs: outcome.trigger.windowStartMs,
        windowEndMs: outcome.trigger.windowEndMs,
        evidence,
      });
    }
  }
  return { firings, touched };
}

function singleEventFiring(rule: RuleInEffect, candidate: CandidateEvent): Firing {
  return {
    detectionId: deterministicUuid('detection', rule.id, rule.version, 'event', candidate.id),
    ruleId: rule.id,
    ruleVersion: rule.version,
    rule: rule.compiled.rule,
    groupBy: null,
    group: null,
    count: 1,
    windowStartMs: candidate.occurredAtMs,
    windowEndMs: candidate.occurredAtMs,
    evidence: [{ id: candidate.id, occurredAtMs: candidate.occurredAtMs }],
  };
}

/** The id and the fields the aggregation reads, under their dotted names (read literally). */
function reducedEvent(candidate: CandidateEvent, aggregation: SigmaAggregation) {
  const reduced: Record<string, unknown> = { [EVENT_ID_KEY]: candidate.id };
  for (const field of [aggregation.groupBy, aggregation.field]) {
    if (field === undefined) continue;
    const value = resolveField(candidate.event, field);
    if (value !== undefined) reduced[field] = value;
  }
  return reduced;
}
