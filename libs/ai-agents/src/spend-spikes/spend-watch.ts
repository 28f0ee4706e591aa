import { Inject, Injectable, Logger } from '@nestjs/common';

import { AggregateRepository, CommandContexts } from '@observe/commands';
import { Clock } from '@observe/core';

import { AI_AGENT_SETTINGS, AiAgentSettings } from '../ai-agents.settings';
import { aiAgentStreamId } from '../domain/agent-id';
import { aiAgentDecider } from '../domain/ai-agent.decider';
import { AgentUsageReader } from '../overview/agent-usage.reader';
import { judgeSpend } from '../overview/spend-judgement';
import { addDays, utcDay } from '../overview/utc-day';

export interface SpendWatchOutcome {
  day: string;
  /** Agents whose spend today is a spike. */
  spiking: string[];
  /** Of those, the agents flagged now (AgentSpendSpiked written). */
  flagged: string[];
}

/**
 * Judges each agent's spend today against its trailing baseline and flags a
 * spike as AgentSpendSpiked, once per agent and UTC day: the agent's decider
 * refuses a second flag for the same day, so several watchers (or restarts)
 * cannot write it twice.
 */
@Injectable()
export class SpendWatch {
  private readonly logger = new Logger(SpendWatch.name);

  constructor(
    private readonly reader: AgentUsageReader,
    private readonly aggregates: AggregateRepository,
    private readonly clock: Clock,
    @Inject(AI_AGENT_SETTINGS) private readonly settings: AiAgentSettings,
  ) {}

  async check(): Promise<SpendWatchOutcome> {
    const today = utcDay(this.clock.now());
    const spendToday = await this.reader.spendByAgent({ from: today, to: today });
    const baselines = await this.reader.spendByAgent({
      from: addDays(today, -this.settings.spikeBaselineDays),
      to: addDays(today, -1),
    });
    const outcome: SpendWatchOutcome = { day: today, spiking: [], flagged: [] };

    for (const [agentId, spend] of [...spendToday].sort(([a], [b]) => a.localeCompare(b))) {
      const judgement = judgeSpend(spend, baselines.get(agentId) ?? 0, {
        factor: this.settings.spikeFactor,
        minimumSpend: this.settings.spikeMinimumSpend,
        baselineDays: this.settings.spikeBaselineDays,
      });
      if (!judgement.spiking) continue;
      outcome.spiking.push(agentId);

      const handled = await CommandContexts.run(CommandContexts.system('spend-watch'), () =>
        this.aggregates.handle(aiAgentStreamId(agentId), aiAgentDecider, {
          type: 'FlagSpendSpike',
          agentId,
          day: today,
          judgement,
        }),
      );
      if (!handled.result) continue;

      outcome.flagged.push(agentId);
      this.logger.warn({
        msg: 'AI agent spend spike flagged',
        agentId,
        day: today,
        spendToday: judgement.spendToday,
        dailyMean: judgement.baseline.dailyMean,
        threshold: judgement.threshold,
      });
    }
    return outcome;
  }
}
