import { Decider, DomainEvent } from '@observe/commands';

import { IncidentEscalationState } from '../domain';

export interface IncidentEscalationFold extends IncidentEscalationState {
  /** Events in the incident's stream: the next event's sequence is this + 1. */
  sequence: number;
  opened: boolean;
}

/**
 * What escalation needs from an incident's own stream, which is the truth:
 * whether it was acknowledged or resolved, and which levels already fired.
 * Read only (`decide` is never called); every event counts towards the sequence.
 */
export const incidentEscalationFold: Decider<IncidentEscalationFold, never, DomainEvent> = {
  initialState: () => ({
    sequence: 0,
    opened: false,
    acknowledged: false,
    resolved: false,
    escalatedLevels: [],
  }),

  evolve(state, event) {
    const next = { ...state, sequence: state.sequence + 1 };
    switch (event.type) {
      case 'IncidentOpened':
        return { ...next, opened: true };
      case 'IncidentAcknowledged':
        return { ...next, acknowledged: true };
      case 'IncidentResolved':
        return { ...next, resolved: true };
      case 'IncidentEscalated':
        return { ...next, escalatedLevels: [...state.escalatedLevels, Number(event.data.level)] };
      default:
        return next;
    }
  },

  decide: () => [],
};
