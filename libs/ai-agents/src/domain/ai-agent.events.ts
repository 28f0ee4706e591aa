import { DomainEvent } from '@observe/commands';

import { SpendJudgement } from '../overview/spend-judgement';

/** Today's spend crossed the spike threshold; written once per agent and UTC day. */
export type AgentSpendSpikedData = {
  agentId: string;
  /** The UTC day judged (YYYY-MM-DD). */
  day: string;
  spendToday: number;
  baseline: SpendJudgement['baseline'];
  factor: number;
  minimumSpend: number;
  threshold: number;
  currency: 'USD';
  at: string;
};

/** A case (an incident of kind `case`) was opened about the agent. */
export type AgentCaseOpenedData = {
  agentId: string;
  caseId: string;
  title: string;
  severity: string;
  reason: string | null;
  at: string;
};

export type AiAgentEvent =
  | DomainEvent<'AgentSpendSpiked', AgentSpendSpikedData>
  | DomainEvent<'AgentCaseOpened', AgentCaseOpenedData>;

export const AI_AGENT_EVENT_TYPES: Array<AiAgentEvent['type']> = [
  'AgentSpendSpiked',
  'AgentCaseOpened',
];
