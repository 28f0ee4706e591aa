export { parseSigmaRule } from './parse/parse-sigma-rule';
export { compileSigmaRule } from './match/compile-sigma-rule';
export type { CompiledRule, SigmaEvent } from './match/compile-sigma-rule';
export { resolveField } from './match/field-path';
export { ThresholdWindow } from './threshold/threshold-window';
export type {
  ThresholdEvent,
  ThresholdEvidence,
  ThresholdOutcome,
  ThresholdSkip,
  ThresholdTrigger,
  ThresholdWindowOptions,
} from './threshold/threshold-window';
export type {
  ThresholdGroupSnapshot,
  ThresholdWindowSnapshot,
} from './threshold/threshold-snapshot';
export { SigmaRuleError } from './sigma-rule.error';
export type { SigmaRuleProblem } from './sigma-rule.error';
export { SIGMA_LIMITS } from './sigma-limits';
export { SEVERITY_BY_LEVEL, SIGMA_LEVELS, SIGMA_STATUSES } from './sigma-rule';
export type {
  AggregationOperator,
  ConditionNode,
  FieldClause,
  FieldOperator,
  IncidentSeverity,
  MitreAttack,
  ParsedSigmaRule,
  RegexFlag,
  SigmaAggregation,
  SigmaDetection,
  SigmaLevel,
  SigmaLogSource,
  SigmaSelection,
  SigmaStatus,
  SigmaValue,
} from './sigma-rule';
