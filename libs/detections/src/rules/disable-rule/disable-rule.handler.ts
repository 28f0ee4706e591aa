import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';

import { RuleDetail } from '../catalog/rule-view';
import { RuleHistory } from '../catalog/rule-history';
import { ruleStreamId } from '../domain/detection-rule';
import { detectionRuleDecider } from '../domain/detection-rule.decider';

/**
 * Stops a rule from being evaluated (full tokens only). Disabling twice
 * answers the current state and writes nothing.
 */
@Injectable()
export class DisableRuleHandler {
  private readonly logger = new Logger(DisableRuleHandler.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly history: RuleHistory,
  ) {}

  async execute(ruleId: string, reason: string | null): Promise<RuleDetail> {
    const handled = await this.aggregates.handle(ruleStreamId(ruleId), detectionRuleDecider, {
      type: 'DisableRule',
      ruleId,
      reason,
    });

    if (handled.result) {
      this.logger.warn({ msg: 'detection rule disabled; it no longer fires', ruleId, reason });
    }
    return this.history.detail(ruleId);
  }
}
