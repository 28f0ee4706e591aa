import { Decider } from '@observe/commands';

import { AiAgentCommand } from './ai-agent.commands';
import { AiAgentEvent } from './ai-agent.events';

export interface AiAgentState {
  /** The latest UTC day a spike was flagged for. */
  lastSpikeDay: string | null;
  caseIds: string[];
}

/** An agent's oversight record: spend spikes (once a day) and the cases opened about it. */
export const aiAgentDecider: Decider<AiAgentState, AiAgentCommand, AiAgentEvent> = {
  initialState: () => ({ lastSpikeDay: null, caseIds: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'AgentSpendSpiked':
        return { ...state, lastSpikeDay: event.data.day };
      case 'AgentCaseOpened':
        return { ...state, caseIds: [...state.caseIds, event.data.caseId] };
      default:
        return state;
    }
  },

  decide(command, state, now) {
    const at = now.toISOString();
    switch (command.type) {
      case 'FlagSpendSpike': {
        // Once per agent and day; a day already past the latest flagged one is stale.
        if (state.lastSpikeDay !== null && command.day <= state.lastSpikeDay) return [];
        const { spendToday, baseline, factor, minimumSpend, threshold } = command.judgement;
        return [
          {
            type: 'AgentSpendSpiked',
            data: {
              agentId: command.agentId,
              day: command.day,
              spendToday,
              baseline,
              factor,
              minimumSpend,
              threshold,
              currency: 'USD',
              at,
            },
          },
        ];
      }
      case 'RecordAgentCase':
        if (state.caseIds.includes(command.caseId)) return [];
        return [
          {
            type: 'AgentCaseOpened',
            data: {
              agentId: command.agentId,
              caseId: command.caseId,
              title: command.title,
              severity: command.severity,
              reason: command.reason,
              at,
            },
          },
        ];
    }
  },
};
