import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { AgentIdPipe } from '../domain/agent-id.pipe';
import { AgentOverviewSchema } from '../overview/overview.schemas';
import { OpenAgentCaseHandler } from './open-agent-case.handler';
import { OpenAgentCaseRequest } from './open-case.request';

class OpenedCaseResponse {
  @ApiProperty() agentId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The case: an incident of kind case, as GET /api/v1/incidents/{id} answers it',
  })
  case!: Record<string, unknown>;
  @ApiProperty({ type: () => AgentOverviewSchema, description: 'The evidence stored with it' })
  evidence!: AgentOverviewSchema;
}

@ApiTags('ai-agents')
@Controller('api/v1/ai-agents')
export class OpenCaseController {
  constructor(private readonly openCase: OpenAgentCaseHandler) {}

  @Post(':agentId/cases')
  @RequireScope('ai-agents:write')
  @ApiParam({ name: 'agentId', example: 'triage-bot' })
  @ApiOperation({
    operationId: 'openAiAgentCase',
    summary: 'Open a case about an AI agent',
    description:
      "A case is an incident of kind case, linked to the agent, with the agent's overview as " +
      'evidence: acknowledge it, post updates, read its timeline and receive its webhooks like ' +
      'any incident. Writes IncidentOpened and AgentCaseOpened.',
  })
  @ApiCreatedResponse({ type: OpenedCaseResponse })
  open(@Param('agentId', new AgentIdPipe()) agentId: string, @Body() body: OpenAgentCaseRequest) {
    return this.openCase.execute(agentId, body);
  }
}
