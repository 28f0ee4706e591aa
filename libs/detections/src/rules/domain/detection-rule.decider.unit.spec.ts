import { ConflictError, IllegalStateError, NotFoundError } from '@observe/core';

import { NOW, parsed, RULE_ID, sprayRuleSource } from '../../testing/rule-factory';
import { DetectionRuleCommand } from './detection-rule.commands';
import { detectionRuleDecider } from './detection-rule.decider';
import { DetectionRuleEvent, ruleVersionData } from './detection-rule.events';

const now = new Date(NOW);
const source = sprayRuleSource();
const published: DetectionRuleEvent = {
  type: 'RulePublished',
  data: ruleVersionData(RULE_ID, 1, source, parsed(source), '2026-02-01T00:00:00.000Z'),
};
const disabled: DetectionRuleEvent = {
  type: 'RuleDisabled',
  data: { ruleId: RULE_ID, version: 1, title: 'x', reason: 'noisy', at: NOW },
};

function decide(history: DetectionRuleEvent[], command: DetectionRuleCommand) {
  const state = history.reduce(
    (current, event) => detectionRuleDecider.evolve(current, event),
    detectionRuleDecider.initialState(),
  );
  return detectionRuleDecider.decide(command, state, now);
}

describe('detection rule decider', () => {
  it('publishes version 1 with the key fields of the parsed rule', () => {
    const events = decide([], {
      type: 'PublishRule',
      ruleId: RULE_ID,
      source,
      rule: parsed(source),
    });

    expect(events).toEqual([
      {
        type: 'RulePublished',
        data: expect.objectContaining({
          ruleId: RULE_ID,
          version: 1,
          title: 'SSH password spraying',
          level: 'high',
          severity: 'error',
          author: 'detection-agent',
          mitre: { tactics: ['credential_access'], techniques: ['T1110.003'] },
          condition: 'selection | count() by source.ip > 4',
          source,
          at: NOW,
        }),
      },
    ]);
  });

  it('refuses to publish a rule id twice', () => {
    const again = () =>
      decide([published], { type: 'PublishRule', ruleId: RULE_ID, source, rule: parsed(source) });

    expect(again).toThrow(ConflictError);
    expect(again).toThrow(/revise it/);
  });

  it('revises to the next version, keeping the first publication time', () => {
    const revisedSource = sprayRuleSource({ threshold: 9 });
    const command: DetectionRuleCommand = {
      type: 'ReviseRule',
      ruleId: RULE_ID,
      source: revisedSource,
      rule: parsed(revisedSource),
      note: 'quieter',
    };

    const events = decide([published], command);
    const state = [published, ...events].reduce(
      (current, event) => detectionRuleDecider.evolve(current, event),
      detectionRuleDecider.initialState(),
    );

    expect(events).toEqual([
      {
        type: 'RuleRevised',
        data: expect.objectContaining({ version: 2, previousVersion: 1, note: 'quieter' }),
      },
    ]);
    expect(state.rule).toMatchObject({
      version: 2,
      status: 'active',
      source: revisedSource,
      publishedAt: '2026-02-01T00:00:00.000Z',
      updatedAt: NOW,
    });
  });

  it('writes nothing when the revision repeats the current source', () => {
    const same = { type: 'ReviseRule' as const, ruleId: RULE_ID, source, rule: parsed(source) };

    expect(decide([published], { ...same, note: null })).toEqual([]);
  });

  it('disables once; a second disable writes nothing', () => {
    const command: DetectionRuleCommand = { type: 'DisableRule', ruleId: RULE_ID, reason: 'noisy' };

    expect(decide([published], command)).toEqual([
      {
        type: 'RuleDisabled',
        data: {
          ruleId: RULE_ID,
          version: 1,
          title: 'SSH password spraying',
          reason: 'noisy',
          at: NOW,
        },
      },
    ]);
    expect(decide([published, disabled], command)).toEqual([]);
  });

  it('refuses to revise a disabled rule and to change a rule that does not exist', () => {
    const revise: DetectionRuleCommand = {
      type: 'ReviseRule',
      ruleId: RULE_ID,
      source: sprayRuleSource({ threshold: 7 }),
      rule: parsed(sprayRuleSource({ threshold: 7 })),
      note: null,
    };

    expect(() => decide([published, disabled], revise)).toThrow(IllegalStateError);
    expect(() => decide([], revise)).toThrow(NotFoundError);
    expect(() => decide([], { type: 'DisableRule', ruleId: RULE_ID, reason: null })).toThrow(
      NotFoundError,
    );
  });
});
