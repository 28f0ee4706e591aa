import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { ValidationError } from '@observe/core';

import { parseSigmaRule } from '../../sigma';
import { RuleDetail } from '../catalog/rule-view';
import { RuleHistory } from '../catalog/rule-history';
import { ruleStreamId } from '../domain/detection-rule';
import { detectionRuleDecider } from '../domain/detection-rule.decider';

/**
 * Publishes a new version of a rule (full tokens only: rewriting a detection
 * can blind it). The new source must parse, and may not claim another rule's id.
 */
@Injectable()
export class ReviseRuleHandler {
  private readonly logger = new Logger(ReviseRuleHandler.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly history: RuleHistory,
  ) {}

  async execute(ruleId: string, source: string, note: string | null): Promise<RuleDetail> {
    const rule = parseSigmaRule(source);
    if (rule.id !== undefined && rule.id !== ruleId) {
      throw new ValidationError(`the source's id ${rule.id} is not this rule's id ${ruleId}`, [
        { field: 'source', message: `id must be ${ruleId} or absent` },
      ]);
    }

    const handled = await this.aggregates.handle(ruleStreamId(ruleId), detectionRuleDecider, {
      type: 'ReviseRule',
      ruleId,
      source,
      rule: { ...rule, id: ruleId },
      note,
    });

    if (handled.result) {
      const version = handled.state.rule?.version;
      this.logger.log({ msg: 'detection rule revised', ruleId, version });
    }
    return this.history.detail(ruleId);
  }
}
