import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';

import { parseSigmaRule } from '../../sigma';
import { RuleDetail } from '../catalog/rule-view';
import { RuleHistory } from '../catalog/rule-history';
import { ruleStreamId } from '../domain/detection-rule';
import { detectionRuleDecider } from '../domain/detection-rule.decider';

/**
 * Publishes a Sigma rule. The source is parsed first: an invalid rule is a
 * 400 with its line and reason, and nothing is written. The rule keeps the
 * Sigma `id` when it has one, so publishing the same rule twice is a 409.
 */
@Injectable()
export class PublishRuleHandler {
  private readonly logger = new Logger(PublishRuleHandler.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly history: RuleHistory,
  ) {}

  async execute(source: string): Promise<RuleDetail> {
    const rule = parseSigmaRule(source);
    const ruleId = rule.id ?? randomUUID();

    await this.aggregates.handle(ruleStreamId(ruleId), detectionRuleDecider, {
      type: 'PublishRule',
      ruleId,
      source,
      rule,
    });

    this.logger.log({ msg: 'detection rule published', ruleId, title: rule.title });
    return this.history.detail(ruleId);
  }
}
