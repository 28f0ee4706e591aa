import { DomainEvent } from '@observe/commands';

import { MitreAttack, ParsedSigmaRule, SigmaLogSource } from '../../sigma';

/**
 * What a subscriber needs to know about a rule version without reading the
 * catalog: the key fields, the source as written and the parsed rule.
 */
export type RuleVersionData = {
  ruleId: string;
  version: number;
  title: string;
  level: ParsedSigmaRule['level'];
  severity: ParsedSigmaRule['severity'];
  sigmaStatus: ParsedSigmaRule['status'] | null;
  author: string | null;
  description: string | null;
  mitre: MitreAttack;
  tags: string[];
  logsource: SigmaLogSource;
  condition: string;
  source: string;
  rule: ParsedSigmaRule;
  at: string;
};

export type RulePublishedData = RuleVersionData;

export type RuleRevisedData = RuleVersionData & { previousVersion: number; note: string | null };

export type RuleDisabledData = {
  ruleId: string;
  version: number;
  title: string;
  reason: string | null;
  at: string;
};

export type DetectionRuleEvent =
  | DomainEvent<'RulePublished', RulePublishedData>
  | DomainEvent<'RuleRevised', RuleRevisedData>
  | DomainEvent<'RuleDisabled', RuleDisabledData>;

export type DetectionRuleEventType = DetectionRuleEvent['type'];

export const RULE_EVENT_TYPES: DetectionRuleEventType[] = [
  'RulePublished',
  'RuleRevised',
  'RuleDisabled',
];

export function ruleVersionData(
  ruleId: string,
  version: number,
  source: string,
  rule: ParsedSigmaRule,
  at: string,
): RuleVersionData {
  return {
    ruleId,
    version,
    title: rule.title,
    level: rule.level,
    severity: rule.severity,
    sigmaStatus: rule.status ?? null,
    author: rule.author ?? null,
    description: rule.description ?? null,
    mitre: rule.mitre,
    tags: rule.tags,
    logsource: rule.logsource,
    condition: rule.detection.conditionText,
    source,
    rule,
    at,
  };
}
