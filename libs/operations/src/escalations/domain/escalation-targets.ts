import { EscalationTarget } from './escalation-policy';

/** Who a schedule has on call at an instant; on-call's `whoIsOnCall` fits, bound to schedules. */
export type OnCallLookup = (scheduleId: string, at: Date) => { personId: string } | null;

export interface ResolvedTargets {
  /** People to notify, each once, in the order the targets name them. */
  people: string[];
  /** Schedule targets with nobody on call at that instant, worth a warning. */
  unstaffedSchedules: string[];
}

export function resolveEscalationTargets(
  targets: EscalationTarget[],
  at: Date,
  whoIsOnCall: OnCallLookup,
): ResolvedTargets {
  const people = new Set<string>();
  const unstaffedSchedules: string[] = [];
  for (const target of targets) {
    if (target.kind === 'person') {
      people.add(target.id);
      continue;
    }

    const onCall = whoIsOnCall(target.id, at);
    if (onCall) {
      people.add(onCall.personId);
    } else {
      unstaffedSchedules.push(target.id);
    }
  }
  return { people: [...people], unstaffedSchedules };
}
