import { RecordedEvent } from '@observe/event-store';

import { parsed, RULE_ID, sprayRuleSource } from '../../testing/rule-factory';
import { ruleVersionData } from '../domain/detection-rule.events';
import { applyRuleEvent, RuleDetail, summaryOf } from './rule-view';

let position = 0;

function recorded(
  type: string,
  data: Record<string, unknown>,
  who: { agentId: string | null; kind: 'agent' | 'user' },
): RecordedEvent {
  position += 1;
  return {
    eventId: `00000000-0000-4000-8000-00000000000${position}`,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { kind: who.kind, tokenId: 'tok', name: 'n' },
      agentId: who.agentId,
      conversationId: 'conv',
      correlationId: 'c',
      occurredAt: `2026-03-0${position}T00:00:00.000Z`,
    },
    streamId: `rule-${RULE_ID}`,
    revision: position - 1,
    position: `1-${position}`,
    recordedAt: `2026-03-0${position}T00:00:00.000Z`,
  };
}

describe('applyRuleEvent', () => {
  it('folds publish, revise and disable into the catalog entry with who did each', () => {
    const v1 = sprayRuleSource();
    const v2 = sprayRuleSource({ threshold: 8 });
    const events = [
      recorded(
        'RulePublished',
        ruleVersionData(RULE_ID, 1, v1, parsed(v1), '2026-03-01T00:00:00.000Z'),
        {
          agentId: 'engineer',
          kind: 'agent',
        },
      ),
      recorded(
        'RuleRevised',
        { ...ruleVersionData(RULE_ID, 2, v2, parsed(v2), '2026-03-02T00:00:00.000Z'), note: 'n' },
        { agentId: null, kind: 'user' },
      ),
      recorded(
        'RuleDisabled',
        {
          ruleId: RULE_ID,
          version: 2,
          title: 't',
          reason: 'noisy',
          at: '2026-03-03T00:00:00.000Z',
        },
        { agentId: 'lead', kind: 'user' },
      ),
    ];

    const detail = events.reduce<RuleDetail | null>(applyRuleEvent, null);

    expect(detail).toMatchObject({
      id: RULE_ID,
      status: 'disabled',
      version: 2,
      source: v2,
      condition: 'selection | count() by source.ip > 8',
      publishedAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-03T00:00:00.000Z',
      disabledReason: 'noisy',
      publishedBy: { agentId: 'engineer', actor: { kind: 'agent' }, conversationId: 'conv' },
      lastChangedBy: { agentId: 'lead', actor: { kind: 'user' } },
    });
    expect(detail?.versions.map((v) => [v.version, v.by.agentId, v.note])).toEqual([
      [1, 'engineer', null],
      [2, null, 'n'],
    ]);
    const summary = detail ? Object.keys(summaryOf(detail)) : [];
    expect(summary).not.toContain('source');
    expect(summary).not.toContain('versions');
  });

  it('ignores a revision of a rule it has not seen published', () => {
    const v2 = sprayRuleSource();
    const revised = recorded('RuleRevised', ruleVersionData(RULE_ID, 2, v2, parsed(v2), 'x'), {
      agentId: null,
      kind: 'user',
    });

    expect(applyRuleEvent(null, revised)).toBeNull();
  });
});
