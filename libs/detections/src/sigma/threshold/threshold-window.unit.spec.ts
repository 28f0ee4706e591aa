import fc from 'fast-check';

import { AggregationOperator, SigmaAggregation } from '../sigma-rule';
import { compileDetection } from '../testing/sigma-rule.factory';
import { ThresholdOutcome, ThresholdWindow } from './threshold-window';

const MINUTE = 60_000;
const START = Date.parse('2026-01-01T00:00:00Z');

function aggregation(overrides: Partial<SigmaAggregation> = {}): SigmaAggregation {
  return { func: 'count', operator: '>', threshold: 5, timeframeMs: 5 * MINUTE, ...overrides };
}

function login(user: string, n = 0) {
  return { user: { name: user }, n };
}

function fired(outcomes: ThresholdOutcome[]) {
  return outcomes.flatMap((outcome) => (outcome.fired ? [outcome.trigger] : []));
}

describe('ThresholdWindow: count() > n', () => {
  it('fires exactly once on a burst, with the events that crossed the threshold', () => {
    const window = new ThresholdWindow(aggregation());

    const outcomes = Array.from({ length: 20 }, (_, i) =>
      window.observe(login('alice', i), START + i * 1000),
    );

    const triggers = fired(outcomes);
    expect(triggers).toHaveLength(1);
    expect(outcomes.findIndex((o) => o.fired)).toBe(5);
    expect(triggers[0]).toEqual({
      count: 6,
      windowStartMs: START + 5000 - 5 * MINUTE,
      windowEndMs: START + 5000,
      evidence: [0, 1, 2, 3, 4, 5].map((i) => ({
        timestampMs: START + i * 1000,
        event: login('alice', i),
      })),
    });
    expect(outcomes.slice(6).every((o) => !o.fired && o.reason === 'quiet')).toBe(true);
  });

  it('does not fire on events spread wider than the timeframe', () => {
    const window = new ThresholdWindow(aggregation());

    const outcomes = Array.from({ length: 50 }, (_, i) =>
      window.observe(login('alice', i), START + i * 61_000),
    );

    expect(fired(outcomes)).toEqual([]);
  });

  it('counts an event exactly one timeframe old as outside the window', () => {
    const window = new ThresholdWindow(aggregation({ threshold: 1 }));

    const first = window.observe(login('alice'), START);
    const second = window.observe(login('alice'), START + 5 * MINUTE);
    const third = window.observe(login('alice'), START + 5 * MINUTE + 1);

    expect([first.fired, second.fired, third.fired]).toEqual([false, false, true]);
  });

  it('fires again only once the quiet timeframe has passed, from later events only', () => {
    const window = new ThresholdWindow(aggregation({ threshold: 2 }));
    const at = (ms: number) => window.observe(login('alice', ms), START + ms);

    const outcomes = [at(0), at(1000), at(2000), at(3000), at(4000), at(5 * MINUTE + 2000)];

    const triggers = fired(outcomes);
    expect(outcomes.map((o) => o.fired)).toEqual([false, false, true, false, false, true]);
    expect(triggers[1]?.evidence.map((e) => e.timestampMs - START)).toEqual([
      3000,
      4000,
      5 * MINUTE + 2000,
    ]);
  });

  it('is fed only matching events: a stream of mostly non-matching events does not fire', () => {
    const rule = compileDetection(
      'sel:\n  event.outcome: failure\ncondition: sel | count() > 5\ntimeframe: 5m',
    );
    const window = new ThresholdWindow(rule.aggregation ?? aggregation());
    const events = Array.from({ length: 60 }, (_, i) => ({
      event: { outcome: i % 12 === 0 ? 'failure' : 'success' },
    }));

    const outcomes = events.flatMap((event, i) =>
      rule.matches(event) ? [window.observe(event, START + i * 1000)] : [],
    );

    expect(outcomes).toHaveLength(5);
    expect(fired(outcomes)).toEqual([]);
  });
});

describe('ThresholdWindow: grouping and distinct counts', () => {
  it('keeps groups apart', () => {
    const window = new ThresholdWindow(aggregation({ groupBy: 'user.name' }));

    const mixed = Array.from({ length: 10 }, (_, i) =>
      window.observe(login(i % 2 === 0 ? 'alice' : 'bob', i), START + i * 1000),
    );
    const more = window.observe(login('alice', 10), START + 10_000);

    expect(fired(mixed)).toEqual([]);
    expect(more.fired && more.trigger.group).toBe('alice');
    expect(more.fired && more.trigger.evidence.map((e) => e.event)).toEqual(
      [0, 2, 4, 6, 8, 10].map((n) => login('alice', n)),
    );
  });

  it('skips events without the group-by field', () => {
    const window = new ThresholdWindow(aggregation({ groupBy: 'user.name', threshold: 0 }));

    expect(window.observe({ user: {} }, START)).toEqual({ fired: false, reason: 'no_group_value' });
  });

  it('count(field) counts distinct values and keeps one event per value as evidence', () => {
    const window = new ThresholdWindow(
      aggregation({ field: 'user.name', groupBy: 'source.ip', threshold: 2 }),
    );
    const attempt = (user: string, ms: number) =>
      window.observe({ user: { name: user }, source: { ip: '10.0.0.9' } }, START + ms);

    const repeated = [attempt('root', 0), attempt('root', 1000), attempt('root', 2000)];
    const spray = [attempt('admin', 3000), attempt('oracle', 4000)];

    expect(fired(repeated)).toEqual([]);
    expect(spray[0]?.fired).toBe(false);
    const trigger = spray[1]?.fired ? spray[1].trigger : undefined;
    expect(trigger?.group).toBe('10.0.0.9');
    expect(trigger?.count).toBe(3);
    expect(trigger?.evidence.map((e) => [e.event.user, e.timestampMs - START])).toEqual([
      [{ name: 'root' }, 2000],
      [{ name: 'admin' }, 3000],
      [{ name: 'oracle' }, 4000],
    ]);
  });

  it('skips events without the counted field', () => {
    const window = new ThresholdWindow(aggregation({ field: 'user.name', threshold: 0 }));

    expect(window.observe({}, START)).toEqual({ fired: false, reason: 'no_field_value' });
  });
});

describe('ThresholdWindow: time', () => {
  it('counts events arriving out of order within the timeframe', () => {
    const window = new ThresholdWindow(aggregation({ threshold: 2 }));

    window.observe(login('a'), START + 10_000);
    window.observe(login('a'), START + 2_000);
    const third = window.observe(login('a'), START + 5_000);

    expect(third.fired && third.trigger.evidence.map((e) => e.timestampMs - START)).toEqual([
      2000, 5000, 10_000,
    ]);
  });

  it('ignores events older than one timeframe before the latest seen', () => {
    const window = new ThresholdWindow(aggregation({ groupBy: 'user.name', threshold: 0 }));

    window.observe(login('a'), START + 10 * MINUTE);
    const late = window.observe(login('b'), START + 5 * MINUTE);

    expect(late).toEqual({ fired: false, reason: 'late' });
  });

  it('refuses timestamps that are not finite numbers', () => {
    const window = new ThresholdWindow(aggregation());

    expect(() => window.observe(login('a'), Number.NaN)).toThrow(/finite/);
  });

  it('forgets the least recently updated groups past maxGroups', () => {
    const window = new ThresholdWindow(aggregation({ groupBy: 'user.name', threshold: 1 }), {
      maxGroups: 2,
    });

    window.observe(login('a'), START);
    window.observe(login('b'), START + 1);
    window.observe(login('c'), START + 2);
    const a = window.observe(login('a'), START + 3);
    const c = window.observe(login('c'), START + 4);

    expect(a.fired).toBe(false);
    expect(c.fired).toBe(true);
    expect(window.toJSON().groups.map((g) => g.key)).toEqual(['a', 'c']);
  });
});

describe('ThresholdWindow: other comparisons', () => {
  it.each<[AggregationOperator, number, boolean[]]>([
    ['>=', 3, [false, false, true, false]],
    ['==', 2, [false, true, false, false]],
    ['<', 2, [true, false, false, false]],
    ['<=', 0, [false, false, false, false]],
  ])('count() %s %d', (operator, threshold, expected) => {
    const window = new ThresholdWindow(aggregation({ operator, threshold }));

    const outcomes = [0, 1, 2, 3].map((i) => window.observe(login('a'), START + i * 1000));

    expect(outcomes.map((o) => o.fired)).toEqual(expected);
  });
});

describe('ThresholdWindow: snapshots', () => {
  it('refuses a malformed snapshot and one taken for another aggregation', () => {
    const snapshot = new ThresholdWindow(aggregation()).toJSON();

    expect(() => ThresholdWindow.fromJSON(aggregation(), { version: 2 })).toThrow(/malformed/);
    expect(() => ThresholdWindow.fromJSON(aggregation({ threshold: 6 }), snapshot)).toThrow(
      /another aggregation/,
    );
  });
});

/** The documented semantics, written plainly: every event kept, nothing capped or forgotten. */
class ReferenceWindow {
  private readonly events: { t: number; group: string; value?: string; seq: number; id: number }[] =
    [];
  private readonly latest = new Map<string, number>();
  private readonly quietUntil = new Map<string, number>();
  private latestAll = -Infinity;
  private seq = 0;

  constructor(private readonly agg: SigmaAggregation) {}

  observe(event: TestEvent, t: number) {
    const { timeframeMs: tf, threshold } = this.agg;
    if (this.agg.groupBy && event.g === undefined)
      return { fired: false, reason: 'no_group_value' };
    if (this.agg.field && event.v === undefined) return { fired: false, reason: 'no_field_value' };
    if (t <= this.latestAll - tf) return { fired: false, reason: 'late' };

    const group = this.agg.groupBy ? String(event.g) : '';
    this.latestAll = Math.max(this.latestAll, t);
    const now = Math.max(this.latest.get(group) ?? t, t);
    this.latest.set(group, now);
    this.events.push({ t, group, value: event.v, seq: this.seq++, id: event.id });

    let window = this.events
      .filter((e) => e.group === group && e.t > now - tf && e.t <= now)
      .sort((a, b) => a.t - b.t || a.seq - b.seq);
    if (this.agg.field) {
      window = window.filter(
        (e) =>
          !window.some((o) => o.value === e.value && (o.t > e.t || (o.t === e.t && o.seq > e.seq))),
      );
    }
    if (now < (this.quietUntil.get(group) ?? -Infinity)) return { fired: false, reason: 'quiet' };
    if (!compare(window.length, this.agg.operator, threshold)) {
      return { fired: false, reason: 'not_met' };
    }

    this.quietUntil.set(group, now + tf);
    const kept = window.slice(-(threshold + 1));
    return { fired: true, count: kept.length, end: now, evidence: kept.map((e) => [e.t, e.id]) };
  }
}

type TestEvent = { id: number; g?: string; v?: string };

function compare(count: number, operator: AggregationOperator, threshold: number): boolean {
  if (operator === '>') return count > threshold;
  if (operator === '>=') return count >= threshold;
  if (operator === '<') return count < threshold;
  if (operator === '<=') return count <= threshold;
  return count === threshold;
}

function summary(outcome: ThresholdOutcome) {
  if (!outcome.fired) return { fired: false, reason: outcome.reason };
  const { count, windowEndMs, evidence } = outcome.trigger;
  return {
    fired: true,
    count,
    end: windowEndMs,
    evidence: evidence.map((e) => [e.timestampMs, e.event.id]),
  };
}

describe('ThresholdWindow: properties', () => {
  const aggregations = fc.record({
    func: fc.constant<'count'>('count'),
    field: fc.option(fc.constant('v'), { nil: undefined }),
    groupBy: fc.option(fc.constant('g'), { nil: undefined }),
    operator: fc.constantFrom<AggregationOperator>('>', '>=', '<', '<=', '=='),
    threshold: fc.integer({ min: 0, max: 4 }),
    timeframeMs: fc.integer({ min: 1, max: 20 }),
  });
  const steps = fc.array(
    fc.record({
      dt: fc.integer({ min: -12, max: 12 }),
      g: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
      v: fc.option(fc.constantFrom('x', 'y', 'z'), { nil: undefined }),
    }),
    { maxLength: 60 },
  );
  const stream = (list: { dt: number; g?: string; v?: string }[]) => {
    let t = 1000;
    return list.map((step, id) => {
      t += step.dt;
      const event: TestEvent = { id, ...(step.g && { g: step.g }), ...(step.v && { v: step.v }) };
      return { event, t };
    });
  };

  it('behaves like the plain reference model of the documented semantics', () => {
    fc.assert(
      fc.property(aggregations, steps, (agg, list) => {
        const window = new ThresholdWindow(agg);
        const reference = new ReferenceWindow(agg);

        for (const { event, t } of stream(list)) {
          expect(summary(window.observe(event, t))).toEqual(reference.observe(event, t));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same outcomes when persisted and restored midway', () => {
    fc.assert(
      fc.property(aggregations, steps, fc.nat(), (agg, list, cut) => {
        const events = stream(list);
        const at = events.length === 0 ? 0 : cut % events.length;
        const whole = new ThresholdWindow(agg);
        let split = new ThresholdWindow(agg);

        events.forEach(({ event, t }, index) => {
          if (index === at) {
            const stored: unknown = JSON.parse(JSON.stringify(split.toJSON()));
            split = ThresholdWindow.fromJSON(agg, stored);
          }
          expect(split.observe(event, t)).toEqual(whole.observe(event, t));
        });
      }),
      { numRuns: 300 },
    );
  });
});
