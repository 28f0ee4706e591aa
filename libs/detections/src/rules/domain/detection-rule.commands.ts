import { ParsedSigmaRule } from '../../sigma';

/** The rule arrives parsed: an invalid source never reaches the decider. */
export type PublishRule = {
  type: 'PublishRule';
  ruleId: string;
  source: string;
  rule: ParsedSigmaRule;
};

export type ReviseRule = {
  type: 'ReviseRule';
  ruleId: string;
  source: string;
  rule: ParsedSigmaRule;
  note: string | null;
};

export type DisableRule = {
  type: 'DisableRule';
  ruleId: string;
  reason: string | null;
};

export type DetectionRuleCommand = PublishRule | ReviseRule | DisableRule;
