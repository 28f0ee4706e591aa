import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

import { RequireScope } from '@observe/access';

import { AgentIdPipe } from '../domain/agent-id.pipe';
import { AgentOverviews } from './agent-overview';
import { AgentDetailSchema, OverviewResponse } from './overview.schemas';

export class OverviewQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export class AgentDetailQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 14, description: 'Days of the series' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  days?: number;
}

@ApiTags('ai-agents')
@Controller('api/v1/ai-agents')
export class OverviewController {
  constructor(private readonly overviews: AgentOverviews) {}

  @Get('overview')
  @RequireScope('ai-agents:read')
  @ApiOperation({
    operationId: 'getAiAgentOverview',
    summary: 'Overview of AI agents: usage, spend, API activity and spend spikes',
    description:
      'Per agent active in the last 7 days, most spend first: calls, tokens, spend (USD), ' +
      'error rate, tool calls, top models, the mutations and denials of this API sent with its ' +
      'X-Agent-Id, for today (UTC) and the last 7 days, and the spend spike judgement with the ' +
      'baseline it was judged against.',
  })
  @ApiOkResponse({ type: OverviewResponse })
  overview(@Query() query: OverviewQuery) {
    return this.overviews.list({ limit: query.limit ?? 50, cursor: query.cursor });
  }

  @Get(':agentId')
  @RequireScope('ai-agents:read')
  @ApiParam({ name: 'agentId', example: 'triage-bot' })
  @ApiOperation({
    operationId: 'getAiAgent',
    summary: 'Read one AI agent with a daily series',
    description: 'The overview of the agent, its usage day by day, its spend spikes and cases.',
  })
  @ApiOkResponse({ type: AgentDetailSchema })
  get(@Param('agentId', new AgentIdPipe()) agentId: string, @Query() query: AgentDetailQuery) {
    return this.overviews.get(agentId, query.days ?? 14);
  }
}
