/**
 * The data a parsed Sigma rule is made of. Plain JSON-compatible values only, so a rule can be
 * stored in an event and compiled again later without its source.
 */

export const SIGMA_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];

export const SIGMA_STATUSES = [
  'stable',
  'test',
  'experimental',
  'deprecated',
  'unsupported',
] as const;
export type SigmaStatus = (typeof SIGMA_STATUSES)[number];

/** The severity an incident raised by the rule gets. */
export type IncidentSeverity = 'info' | 'warning' | 'error' | 'critical';

export const SEVERITY_BY_LEVEL: Readonly<Record<SigmaLevel, IncidentSeverity>> = {
  informational: 'info',
  low: 'warning',
  medium: 'warning',
  high: 'error',
  critical: 'critical',
};

export interface MitreAttack {
  /** Tactic short names in Sigma spelling, e.g. `credential_access`. */
  tactics: string[];
  /** Technique and sub-technique ids, upper case, e.g. `T1110`, `T1110.001`. */
  techniques: string[];
}

export interface SigmaLogSource {
  category?: string;
  product?: string;
  service?: string;
  definition?: string;
}

/** A value as written in a selection; `null` means the field is absent. */
export type SigmaValue = string | number | boolean | null;

export type FieldOperator = 'equals' | 'contains' | 'startswith' | 'endswith' | 're' | 'cidr';

/** `|re|i` ignores case, `|re|m` makes ^ and $ match at line breaks, `|re|s` lets . match them. */
export type RegexFlag = 'i' | 'm' | 's';

/** One `field|modifiers: values` entry of a selection. */
export interface FieldClause {
  /** Dotted path into the event, e.g. `process.command_line`. */
  field: string;
  operator: FieldOperator;
  /** With `|all` every value must match; otherwise one is enough. */
  all: boolean;
  values: SigmaValue[];
  /** Only with `re`; absent when none are given. */
  regexFlags?: RegexFlag[];
}

/**
 * A named selection: the clauses of one branch are ANDed, the branches are ORed
 * (a selection written as a list of maps has one branch per map).
 */
export interface SigmaSelection {
  name: string;
  branches: FieldClause[][];
}

export type ConditionNode =
  | { kind: 'selection'; name: string }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'and'; operands: ConditionNode[] }
  | { kind: 'or'; operands: ConditionNode[] }
  | {
      kind: 'of';
      quantifier: 'one' | 'all';
      /** The pattern as written (`selection_*` or `them`). */
      pattern: string;
      /** The selections the pattern named when the rule was parsed. */
      names: string[];
    };

export type AggregationOperator = '>' | '>=' | '<' | '<=' | '==';

export interface SigmaAggregation {
  func: 'count';
  /** With a field, distinct values of that field are counted instead of events. */
  field?: string;
  groupBy?: string;
  operator: AggregationOperator;
  threshold: number;
  timeframeMs: number;
}

export interface SigmaDetection {
  selections: SigmaSelection[];
  /** The condition as written, aggregation included. */
  conditionText: string;
  condition: ConditionNode;
  aggregation?: SigmaAggregation;
}

export interface ParsedSigmaRule {
  title: string;
  id?: string;
  status?: SigmaStatus;
  description?: string;
  author?: string;
  /** `medium` when the rule does not say. */
  level: SigmaLevel;
  severity: IncidentSeverity;
  tags: string[];
  mitre: MitreAttack;
  references: string[];
  falsePositives: string[];
  logsource: SigmaLogSource;
  detection: SigmaDetection;
}
