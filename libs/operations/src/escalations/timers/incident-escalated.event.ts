import { EscalationTarget } from '../domain';

/**
 * An unacknowledged incident reached a level's deadline and its targets are
 * paged. Appended to the incident's stream; carries the incident event base
 * (incidentId, sequence, service, at) like every incident event, so
 * subscribers of `incident.escalated` need nothing else.
 */
export type IncidentEscalated = {
  type: 'IncidentEscalated';
  data: {
    incidentId: string;
    sequence: number;
    service: string | null;
    at: string;
    policyId: string;
    /** The step of the whole plan, repeats included: (incident, level) fires once. */
    level: number;
    policyLevel: number;
    round: number;
    dueAt: string;
    /** Why now, in words for a person reading the timeline. */
    reason: string;
    targets: EscalationTarget[];
    /** People paged: the person targets, and whoever each schedule had on call. */
    notified: string[];
    /** Schedule targets with nobody on call at that moment. */
    unstaffedSchedules: string[];
    /** Overdue steps passed over because a later one was due too (the timer ran late). */
    skippedLevels: number[];
  };
};
