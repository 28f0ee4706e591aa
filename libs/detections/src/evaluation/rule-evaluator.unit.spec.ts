import { compileSigmaRule, ThresholdWindow } from '../sigma';
import { parsed, RULE_ID, rootLoginRuleSource, sprayRuleSource } from '../testing/rule-factory';
import { CandidateEvent, evaluateEvents, RuleInEffect } from './rule-evaluator';

const START = Date.parse('2026-03-01T12:00:00Z');

function ruleInEffect(source: string, version = 1): RuleInEffect {
  const compiled = compileSigmaRule(parsed(source));
  const window = compiled.aggregation ? new ThresholdWindow(compiled.aggregation) : undefined;
  return { id: RULE_ID, version, compiled, ...(window ? { window } : {}) };
}

function failedLogin(n: number, ip = '203.0.113.7', offsetMs = n * 1000): CandidateEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    occurredAtMs: START + offsetMs,
    event: { event: { action: 'login_failed' }, source: { ip }, user: { name: `u${n}` } },
  };
}

describe('evaluateEvents', () => {
  it('fires once when a burst crosses the threshold, with the window as evidence', () => {
    const rule = ruleInEffect(sprayRuleSource({ threshold: 4 }));
    const burst = Array.from({ length: 12 }, (_, n) => failedLogin(n));

    const { firings, touched } = evaluateEvents(burst, [rule]);

    expect(firings).toHaveLength(1);
    expect(firings[0]).toMatchObject({
      ruleId: RULE_ID,
      groupBy: 'source.ip',
      group: '203.0.113.7',
      count: 5,
      windowEndMs: START + 4000,
    });
    expect(firings[0]?.evidence.map((ref) => ref.id)).toEqual(burst.slice(0, 5).map((e) => e.id));
    expect(touched).toEqual(new Set([RULE_ID]));
  });

  it('fires nothing for events that do not match', () => {
    const rule = ruleInEffect(sprayRuleSource({ threshold: 1 }));
    const others = Array.from({ length: 5 }, (_, n) => ({
      ...failedLogin(n),
      event: { event: { action: 'login_succeeded' }, source: { ip: '203.0.113.7' } },
    }));

    expect(evaluateEvents(others, [rule]).firings).toEqual([]);
  });

  it('gives the same detection ids when replayed from a restored window', () => {
    const source = sprayRuleSource({ threshold: 4 });
    const burst = Array.from({ length: 8 }, (_, n) => failedLogin(n));
    const whole = evaluateEvents(burst, [ruleInEffect(source)]);

    const first = ruleInEffect(source);
    evaluateEvents(burst.slice(0, 3), [first]);
    const snapshot: unknown = JSON.parse(JSON.stringify(first.window?.toJSON()));
    const restored = ruleInEffect(source);
    const aggregation = restored.compiled.aggregation;
    if (!aggregation) throw new Error('the rule counts');
    restored.window = ThresholdWindow.fromJSON(aggregation, snapshot);
    const rest = evaluateEvents(burst.slice(3), [restored]);

    expect(rest.firings.map((f) => f.detectionId)).toEqual(whole.firings.map((f) => f.detectionId));
  });

  it('keeps only ids and counted fields in the window, never whole events', () => {
    const rule = ruleInEffect(sprayRuleSource({ threshold: 50 }));

    evaluateEvents([failedLogin(1)], [rule]);

    const entry = rule.window?.toJSON().groups[0]?.entries[0];
    expect(entry?.event).toEqual({
      '@observe.securityEventId': failedLogin(1).id,
      'source.ip': '203.0.113.7',
    });
  });

  it('fires for each matching event of a rule without a count', () => {
    const rule = ruleInEffect(rootLoginRuleSource());
    const login = (n: number, ip: string): CandidateEvent => ({
      id: `00000000-0000-4000-8000-00000000000${n}`,
      occurredAtMs: START,
      event: { 'event.action': 'login_succeeded', 'user.name': 'root', 'source.ip': ip },
    });

    const { firings } = evaluateEvents(
      [login(1, '198.51.100.4'), login(2, '10.1.2.3'), login(3, '198.51.100.5')],
      [rule],
    );

    expect(firings.map((f) => [f.count, f.evidence[0]?.id])).toEqual([
      [1, login(1, '').id],
      [1, login(3, '').id],
    ]);
  });
});
