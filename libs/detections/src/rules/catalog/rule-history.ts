import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { EventStore } from '@observe/event-store';

import { ruleStreamId } from '../domain/detection-rule';
import { applyRuleEvent, RuleDetail } from './rule-view';

/**
 * The catalog entry folded straight from the rule's stream, inside the
 * caller's transaction: a mutation answers with what it just wrote, in the
 * same shape as GET, without waiting for the read model.
 */
@Injectable()
export class RuleHistory {
  constructor(private readonly store: EventStore) {}

  async detail(ruleId: string): Promise<RuleDetail> {
    let detail: RuleDetail | null = null;
    for (let from = 0; ; from += 500) {
      const page = await this.store.readStream(ruleStreamId(ruleId), {
        fromRevision: from,
        maxCount: 500,
      });
      for (const event of page) detail = applyRuleEvent(detail, event);
      if (page.length < 500) break;
    }
    if (!detail) throw new NotFoundError('rule', ruleId);
    return detail;
  }
}
