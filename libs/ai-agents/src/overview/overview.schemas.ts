import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI schemas of the AI-agent overview's answers. */

export class UsageTotalsSchema {
  @ApiProperty({ description: 'Model calls' }) calls!: number;
  @ApiProperty({ description: 'gen_ai.operation.name = execute_tool spans' }) toolCalls!: number;
  @ApiProperty({ description: 'Model and tool calls with status ERROR' }) errors!: number;
  @ApiProperty({ description: 'errors / (calls + toolCalls)' }) errorRate!: number;
  @ApiProperty() inputTokens!: number;
  @ApiProperty() outputTokens!: number;
  @ApiProperty() totalTokens!: number;
  @ApiProperty({ description: 'USD' }) spend!: number;
  @ApiProperty({ description: 'Mutations of this API sent with this X-Agent-Id' })
  apiMutations!: number;
  @ApiProperty({ description: 'Requests to this API refused with this X-Agent-Id' })
  apiDenials!: number;
}

export class ModelUsageSchema {
  @ApiProperty() model!: string;
  @ApiProperty() calls!: number;
  @ApiProperty() inputTokens!: number;
  @ApiProperty() outputTokens!: number;
  @ApiProperty({ description: 'USD' }) spend!: number;
}

export class BaselineSchema {
  @ApiProperty({ description: 'Days before today the baseline covers' }) days!: number;
  @ApiProperty({ description: 'USD over those days' }) total!: number;
  @ApiProperty({ description: 'USD per day, days without spend counting as zero' })
  dailyMean!: number;
}

export class SpikeSchema {
  @ApiProperty({ description: 'AgentSpendSpiked was written for today' }) flagged!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) flaggedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) eventId!: string | null;
  @ApiProperty({ description: 'spendToday is above the threshold' }) spiking!: boolean;
  @ApiProperty({ description: 'USD, as judged' }) spendToday!: number;
  @ApiProperty({ type: () => BaselineSchema }) baseline!: BaselineSchema;
  @ApiProperty() factor!: number;
  @ApiProperty({ description: 'USD' }) minimumSpend!: number;
  @ApiProperty({ description: 'USD: max(factor x dailyMean, minimumSpend)' }) threshold!: number;
}

export class AgentUrlsSchema {
  @ApiProperty() self!: string;
  @ApiProperty() cases!: string;
}

export class AgentOverviewSchema {
  @ApiProperty({ example: 'triage-bot' }) agentId!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastSeenAt!: string | null;
  @ApiProperty({ type: () => UsageTotalsSchema, description: 'The current UTC day' })
  today!: UsageTotalsSchema;
  @ApiProperty({ type: () => UsageTotalsSchema, description: 'Today and the 6 days before' })
  last7Days!: UsageTotalsSchema;
  @ApiProperty({ type: [ModelUsageSchema], description: 'Top 5 models by spend, 7 days' })
  topModels!: ModelUsageSchema[];
  @ApiProperty({ type: () => SpikeSchema }) spike!: SpikeSchema;
  @ApiProperty({ type: () => AgentUrlsSchema }) urls!: AgentUrlsSchema;
}

export class OverviewResponse {
  @ApiProperty({ example: '2026-03-04', description: 'The UTC day that is "today"' }) day!: string;
  @ApiProperty({ enum: ['USD'] }) currency!: string;
  @ApiProperty({ type: [AgentOverviewSchema] }) data!: AgentOverviewSchema[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DailyUsageSchema extends UsageTotalsSchema {
  @ApiProperty({ example: '2026-03-04' }) day!: string;
}

export class AgentCaseSchema {
  @ApiProperty({ format: 'uuid', description: 'The incident id of the case' }) caseId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() severity!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() url!: string;
}

export class AgentDetailSchema extends AgentOverviewSchema {
  @ApiProperty({ type: [DailyUsageSchema], description: 'Oldest first, one entry per day' })
  daily!: DailyUsageSchema[];
  @ApiProperty({ type: [SpikeSchema] }) spikes!: SpikeSchema[];
  @ApiProperty({ type: [AgentCaseSchema], description: 'Latest first' })
  cases!: AgentCaseSchema[];
}
