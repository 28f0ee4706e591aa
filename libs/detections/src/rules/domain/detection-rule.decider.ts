import { Decider } from '@observe/commands';
import { ConflictError, IllegalStateError, NotFoundError } from '@observe/core';

import { DetectionRule } from './detection-rule';
import { DetectionRuleCommand } from './detection-rule.commands';
import { DetectionRuleEvent, RuleVersionData, ruleVersionData } from './detection-rule.events';

export interface DetectionRuleState {
  rule: DetectionRule | null;
}

export const detectionRuleDecider: Decider<
  DetectionRuleState,
  DetectionRuleCommand,
  DetectionRuleEvent
> = {
  initialState: () => ({ rule: null }),

  evolve(state, event) {
    switch (event.type) {
      case 'RulePublished':
        return { rule: { ...versionOf(event.data), status: 'active', disabledAt: null } };
      case 'RuleRevised':
        if (!state.rule) return state;
        return {
          rule: { ...state.rule, ...versionOf(event.data), publishedAt: state.rule.publishedAt },
        };
      case 'RuleDisabled':
        if (!state.rule) return state;
        return {
          rule: {
            ...state.rule,
            status: 'disabled',
            disabledAt: event.data.at,
            updatedAt: event.data.at,
          },
        };
      default:
        return state;
    }
  },

  decide(command, state, now) {
    const at = now.toISOString();
    if (command.type === 'PublishRule') {
      if (state.rule) {
        throw new ConflictError(
          `rule ${command.ruleId} is already published; revise it with ` +
            `POST /api/v1/siem/rules/${command.ruleId}/versions`,
          { ruleId: command.ruleId, version: state.rule.version },
        );
      }
      const data = ruleVersionData(command.ruleId, 1, command.source, command.rule, at);
      return [{ type: 'RulePublished', data }];
    }

    const rule = state.rule;
    if (!rule) throw new NotFoundError('rule', command.ruleId);

    switch (command.type) {
      case 'ReviseRule': {
        if (rule.status === 'disabled') {
          throw new IllegalStateError(
            `rule ${rule.id} is disabled (since ${rule.disabledAt}); ` +
              'a disabled rule is not revised',
            { ruleId: rule.id, status: rule.status, disabledAt: rule.disabledAt },
          );
        }
        // The same text again changes nothing: the answer is the current version.
        if (command.source === rule.source) return [];
        const version = rule.version + 1;
        const data = ruleVersionData(rule.id, version, command.source, command.rule, at);
        return [
          {
            type: 'RuleRevised',
            data: { ...data, previousVersion: rule.version, note: command.note },
          },
        ];
      }
      case 'DisableRule':
        if (rule.status === 'disabled') return [];
        return [
          {
            type: 'RuleDisabled',
            data: {
              ruleId: rule.id,
              version: rule.version,
              title: rule.rule.title,
              reason: command.reason,
              at,
            },
          },
        ];
    }
  },
};

function versionOf(data: RuleVersionData): Omit<DetectionRule, 'status' | 'disabledAt'> {
  return {
    id: data.ruleId,
    version: data.version,
    source: data.source,
    rule: data.rule,
    publishedAt: data.at,
    updatedAt: data.at,
  };
}
