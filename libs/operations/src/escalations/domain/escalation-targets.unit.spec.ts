import { whoIsOnCall } from '../../on-call/domain';
import { aLayer, aSchedule } from '../../on-call/domain/testing/schedule-factory';
import { OnCallLookup, resolveEscalationTargets } from './escalation-targets';

const onCallNow: Record<string, string> = { primary: 'ana', secondary: 'ben' };

const lookup: OnCallLookup = (scheduleId) =>
  onCallNow[scheduleId] ? { personId: onCallNow[scheduleId] } : null;

describe('resolveEscalationTargets', () => {
  it('turns schedules into whoever is on call and notifies each person once', () => {
    const resolved = resolveEscalationTargets(
      [
        { kind: 'schedule', id: 'primary' },
        { kind: 'person', id: 'ana' },
        { kind: 'person', id: 'lee' },
        { kind: 'schedule', id: 'secondary' },
      ],
      new Date('2026-03-01T12:00:00Z'),
      lookup,
    );

    expect(resolved).toEqual({ people: ['ana', 'lee', 'ben'], unstaffedSchedules: [] });
  });

  it('reports schedules with nobody on call instead of dropping them silently', () => {
    const resolved = resolveEscalationTargets(
      [{ kind: 'schedule', id: 'weekend' }],
      new Date('2026-03-01T12:00:00Z'),
      lookup,
    );

    expect(resolved).toEqual({ people: [], unstaffedSchedules: ['weekend'] });
  });

  it('asks the schedule about the instant the step fires', () => {
    const asked: Date[] = [];
    const firesAt = new Date('2026-03-08T07:30:00Z');

    resolveEscalationTargets([{ kind: 'schedule', id: 'primary' }], firesAt, (scheduleId, when) => {
      asked.push(when);
      return lookup(scheduleId, when);
    });

    expect(asked).toEqual([firesAt]);
  });
});

describe('resolving against real schedules', () => {
  it('fits whoIsOnCall bound to the schedules a lookup can load', () => {
    const schedules = new Map([
      ['primary', aSchedule({ layers: [aLayer({ members: ['ana', 'ben'] })] })],
    ]);
    const fromSchedules: OnCallLookup = (scheduleId, when) => {
      const schedule = schedules.get(scheduleId);
      return schedule ? whoIsOnCall(schedule, when) : null;
    };

    const resolved = resolveEscalationTargets(
      [
        { kind: 'schedule', id: 'primary' },
        { kind: 'schedule', id: 'deleted' },
      ],
      new Date('2026-01-06T10:00:00Z'),
      fromSchedules,
    );

    expect(resolved).toEqual({ people: ['ben'], unstaffedSchedules: ['deleted'] });
  });
});
