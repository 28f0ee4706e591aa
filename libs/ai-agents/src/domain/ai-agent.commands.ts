import { SpendJudgement } from '../overview/spend-judgement';

export type FlagSpendSpike = {
  type: 'FlagSpendSpike';
  agentId: string;
  day: string;
  judgement: SpendJudgement;
};

export type RecordAgentCase = {
  type: 'RecordAgentCase';
  agentId: string;
  caseId: string;
  title: string;
  severity: string;
  reason: string | null;
};

export type AiAgentCommand = FlagSpendSpike | RecordAgentCase;
