import { ParsedSigmaRule } from '../../sigma';

/** A published rule is evaluated while `active`; disabling it is final and full-token-only. */
export const RULE_STATUSES = ['active', 'disabled'] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];

/** The rule as its aggregate knows it after folding its events. */
export interface DetectionRule {
  id: string;
  version: number;
  status: RuleStatus;
  source: string;
  rule: ParsedSigmaRule;
  publishedAt: string;
  updatedAt: string;
  disabledAt: string | null;
}

export function ruleStreamId(ruleId: string): string {
  return `rule-${ruleId}`;
}

export const RULE_STREAM_PREFIX = 'rule-';
