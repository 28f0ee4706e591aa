import { judgeSpend } from '../overview/spend-judgement';
import { AiAgentCommand } from './ai-agent.commands';
import { aiAgentDecider } from './ai-agent.decider';
import { AiAgentEvent } from './ai-agent.events';

const NOW = new Date('2026-03-04T15:00:00Z');
const judgement = judgeSpend(40, 14, { factor: 3, minimumSpend: 5, baselineDays: 7 });

function decide(history: AiAgentEvent[], command: AiAgentCommand): AiAgentEvent[] {
  const state = history.reduce(
    (current, event) => aiAgentDecider.evolve(current, event),
    aiAgentDecider.initialState(),
  );
  return aiAgentDecider.decide(command, state, NOW);
}

const flag = (day: string): AiAgentCommand => ({
  type: 'FlagSpendSpike',
  agentId: 'bot',
  day,
  judgement,
});

describe('AI agent decider', () => {
  it('flags a spend spike with the baseline it was judged against', () => {
    expect(decide([], flag('2026-03-04'))).toEqual([
      {
        type: 'AgentSpendSpiked',
        data: {
          agentId: 'bot',
          day: '2026-03-04',
          spendToday: 40,
          baseline: { days: 7, total: 14, dailyMean: 2 },
          factor: 3,
          minimumSpend: 5,
          threshold: 6,
          currency: 'USD',
          at: NOW.toISOString(),
        },
      },
    ]);
  });

  it('flags an agent once per day, and again on a later day', () => {
    const history = decide([], flag('2026-03-04'));

    expect(decide(history, flag('2026-03-04'))).toEqual([]);
    expect(decide(history, flag('2026-03-03'))).toEqual([]);
    expect(decide(history, flag('2026-03-05'))).toHaveLength(1);
  });

  it('records a case once', () => {
    const record: AiAgentCommand = {
      type: 'RecordAgentCase',
      agentId: 'bot',
      caseId: '6d1f1e0a-0c59-4c8e-9e57-0b5b8f1f2a01',
      title: 'Spend spike',
      severity: 'warning',
      reason: null,
    };
    const history = decide([], record);

    expect(history).toEqual([
      { type: 'AgentCaseOpened', data: expect.objectContaining({ caseId: record.caseId }) },
    ]);
    expect(decide(history, record)).toEqual([]);
  });
});
