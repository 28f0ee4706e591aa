import { EscalationPolicy, EscalationTarget } from './escalation-policy';

const MINUTE_MS = 60_000;

/**
 * One notification an incident's escalation will send unless someone
 * acknowledges first. `level` numbers the steps of the whole plan, repeats
 * included, so (incident, level) names each step once and firing it is
 * idempotent; `policyLevel` and `round` say where it sits in the policy.
 */
export interface EscalationStep {
  level: number;
  policyLevel: number;
  round: number;
  dueAt: string;
  targets: EscalationTarget[];
}

export interface IncidentEscalationState {
  acknowledged: boolean;
  resolved: boolean;
  /** Plan levels already fired for this incident. */
  escalatedLevels: number[];
}

/** A step to fire now, and the overdue steps it supersedes without firing. */
export interface DueEscalation extends EscalationStep {
  skippedLevels: number[];
}

/**
 * The deadlines of an incident's escalation: level 0 is due when the incident
 * opens, and each next step when the previous step's delay has passed. The
 * targets are copied in, so a policy edited mid-incident leaves the plan as it was.
 */
export function escalationPlan(
  policy: Pick<EscalationPolicy, 'levels' | 'repeat'>,
  incidentOpenedAt: Date,
): EscalationStep[] {
  const steps: EscalationStep[] = [];
  let dueAt = incidentOpenedAt.getTime();
  for (let round = 0; round <= policy.repeat; round += 1) {
    policy.levels.forEach((level, policyLevel) => {
      steps.push({
        level: steps.length,
        policyLevel,
        round,
        dueAt: new Date(dueAt).toISOString(),
        targets: level.targets,
      });
      dueAt += level.delayMinutes * MINUTE_MS;
    });
  }
  return steps;
}

/**
 * The step that must fire now, or null. Nothing fires once the incident is
 * acknowledged or resolved. Escalation never goes back: a step at or below
 * the highest level already fired is spent. When several steps are overdue
 * (the timer ran late), only the latest fires and the rest are reported as
 * skipped, since paging people whose window has passed helps nobody.
 */
export function nextEscalation(
  plan: EscalationStep[],
  state: IncidentEscalationState,
  now: Date,
): DueEscalation | null {
  if (state.acknowledged || state.resolved) {
    return null;
  }

  const due = pending(plan, state).filter((step) => Date.parse(step.dueAt) <= now.getTime());
  const latest = due[due.length - 1];
  if (!latest) {
    return null;
  }
  return { ...latest, skippedLevels: due.slice(0, -1).map((step) => step.level) };
}

/** When the timer should next wake for this incident, or null when nothing is left to fire. */
export function nextEscalationDueAt(
  plan: EscalationStep[],
  state: IncidentEscalationState,
): string | null {
  if (state.acknowledged || state.resolved) {
    return null;
  }
  return pending(plan, state)[0]?.dueAt ?? null;
}

/** Key for recording that a step fired, so a repeated timer tick notifies once. */
export function escalationFiringKey(incidentId: string, level: number): string {
  return `${incidentId}:escalation:${level}`;
}

function pending(plan: EscalationStep[], state: IncidentEscalationState): EscalationStep[] {
  const highestFired = Math.max(-1, ...state.escalatedLevels);
  return plan.filter((step) => step.level > highestFired);
}
