import { EscalationLevel } from './escalation-policy';
import {
  EscalationStep,
  IncidentEscalationState,
  escalationPlan,
  nextEscalation,
  nextEscalationDueAt,
} from './escalation-plan';

const levels: EscalationLevel[] = [
  { delayMinutes: 10, targets: [{ kind: 'schedule', id: 'primary' }] },
  { delayMinutes: 20, targets: [{ kind: 'schedule', id: 'secondary' }] },
  { delayMinutes: 30, targets: [{ kind: 'person', id: 'lead' }] },
];

const openedAt = new Date('2026-03-01T12:00:00Z');

const open: IncidentEscalationState = { acknowledged: false, resolved: false, escalatedLevels: [] };

function fired(...escalatedLevels: number[]): IncidentEscalationState {
  return { ...open, escalatedLevels };
}

function at(clock: string): Date {
  return new Date(`2026-03-01T${clock}:00Z`);
}

describe('escalationPlan', () => {
  it('notifies level 0 at open and each next level when the previous delay has passed', () => {
    const plan = escalationPlan({ levels, repeat: 0 }, openedAt);

    expect(plan.map((step) => [step.level, step.dueAt])).toEqual([
      [0, '2026-03-01T12:00:00.000Z'],
      [1, '2026-03-01T12:10:00.000Z'],
      [2, '2026-03-01T12:30:00.000Z'],
    ]);
    expect(plan[1].targets).toEqual([{ kind: 'schedule', id: 'secondary' }]);
  });

  it('runs the ladder again after the last level delay for each repeat, numbering on', () => {
    const plan = escalationPlan({ levels, repeat: 1 }, openedAt);

    expect(
      plan.slice(3).map((step) => [step.level, step.policyLevel, step.round, step.dueAt]),
    ).toEqual([
      [3, 0, 1, '2026-03-01T13:00:00.000Z'],
      [4, 1, 1, '2026-03-01T13:10:00.000Z'],
      [5, 2, 1, '2026-03-01T13:30:00.000Z'],
    ]);
  });
});

describe('nextEscalation', () => {
  const plan = escalationPlan({ levels, repeat: 0 }, openedAt);

  function levelDue(state: IncidentEscalationState, now: Date): number | undefined {
    return nextEscalation(plan, state, now)?.level;
  }

  it('fires level 0 as the incident opens', () => {
    expect(levelDue(open, openedAt)).toBe(0);
  });

  it('waits until the delay of the fired level has passed', () => {
    expect(levelDue(fired(0), at('12:09'))).toBeUndefined();
    expect(levelDue(fired(0), at('12:10'))).toBe(1);
  });

  it('fires each level once, however often the timer ticks', () => {
    expect(levelDue(fired(0, 1), at('12:15'))).toBeUndefined();
  });

  it('stops once the incident is acknowledged or resolved', () => {
    expect(levelDue({ ...fired(0), acknowledged: true }, at('12:40'))).toBeUndefined();
    expect(levelDue({ ...fired(0), resolved: true }, at('12:40'))).toBeUndefined();
  });

  it('fires only the latest overdue level after a late tick and reports the ones skipped', () => {
    const due = nextEscalation(plan, fired(0), at('12:45'));

    expect(due).toMatchObject({ level: 2, skippedLevels: [1] });
  });

  it('never goes back to a level below one already fired', () => {
    expect(levelDue(fired(2), at('12:45'))).toBeUndefined();
  });

  it('has nothing left after the last level without repeats', () => {
    expect(levelDue(fired(0, 1, 2), at('23:00'))).toBeUndefined();
  });
});

describe('nextEscalationDueAt', () => {
  const plan: EscalationStep[] = escalationPlan({ levels, repeat: 0 }, openedAt);

  it('is the deadline of the first level not yet fired', () => {
    expect(nextEscalationDueAt(plan, fired(0))).toBe('2026-03-01T12:10:00.000Z');
  });

  it('is null once acknowledged or when every level has fired', () => {
    expect(nextEscalationDueAt(plan, { ...fired(0), acknowledged: true })).toBeNull();
    expect(nextEscalationDueAt(plan, fired(0, 1, 2))).toBeNull();
  });
});
