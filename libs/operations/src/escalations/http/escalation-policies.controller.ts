import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { DEFAULT_PAGE_SIZE } from '../../shared/list-page';
import { SlugParamPipe } from '../../shared/slug-param.pipe';
import { UuidParamPipe } from '../../shared/uuid-param.pipe';
import { PolicyCommandsHandler } from '../manage-policies/policy-commands.handler';
import { EscalationPolicyQueries } from '../read-model/escalation-policy.queries';
import {
  AttachServiceRequest,
  CreateEscalationPolicyRequest,
  ListEscalationPoliciesQuery,
  toLevels,
  UpdateEscalationPolicyRequest,
} from './escalation-policies.requests';
import {
  EscalationPolicyMutationResponse,
  EscalationPolicyPageSchema,
  EscalationPolicySchema,
} from './escalation-policies.responses';

const policyId = new UuidParamPipe();

@ApiTags('escalations')
@Controller('api/v1/escalation-policies')
export class EscalationPoliciesController {
  constructor(
    private readonly commands: PolicyCommandsHandler,
    private readonly queries: EscalationPolicyQueries,
  ) {}

  @Post()
  @RequireScope('escalations:write')
  @ApiOperation({
    operationId: 'createEscalationPolicy',
    summary: 'Create an escalation policy',
    description:
      'Level 0 is paged when an incident opens on a service that follows the policy; each ' +
      'next level when the previous one has not acknowledged within its delay (IncidentEscalated).',
  })
  @ApiCreatedResponse({ type: EscalationPolicyMutationResponse })
  create(@Body() body: CreateEscalationPolicyRequest) {
    return this.commands.create({ ...body, levels: toLevels(body.levels) });
  }

  @Get()
  @RequireScope('escalations:read')
  @ApiOperation({ operationId: 'listEscalationPolicies', summary: 'List escalation policies' })
  @ApiOkResponse({ type: EscalationPolicyPageSchema })
  list(@Query() query: ListEscalationPoliciesQuery) {
    return this.queries.list({ ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get(':id')
  @RequireScope('escalations:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ operationId: 'getEscalationPolicy', summary: 'Read an escalation policy' })
  @ApiOkResponse({ type: EscalationPolicySchema })
  get(@Param('id', policyId) id: string) {
    return this.queries.get(id);
  }

  @Patch(':id')
  @RequireScope('escalations:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'updateEscalationPolicy',
    summary: 'Change an escalation policy',
    description: 'Applies to incidents opened from now; running escalations keep their plan.',
  })
  @ApiOkResponse({ type: EscalationPolicyMutationResponse })
  update(@Param('id', policyId) id: string, @Body() body: UpdateEscalationPolicyRequest) {
    return this.commands.update(id, {
      ...body,
      levels: body.levels ? toLevels(body.levels) : undefined,
    });
  }

  @Post(':id/services')
  @HttpCode(200)
  @RequireScope('escalations:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'attachEscalationPolicy',
    summary: 'Make a service follow this policy',
    description: 'A service follows one policy: it is detached from any other in the same change.',
  })
  @ApiOkResponse({ type: EscalationPolicyMutationResponse })
  attach(@Param('id', policyId) id: string, @Body() body: AttachServiceRequest) {
    return this.commands.attach(id, body.serviceId);
  }

  @Post(':id/services/:serviceId/detach')
  @HttpCode(200)
  @RequireScope('escalations:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'detachEscalationPolicy',
    summary: 'Stop a service following this policy',
    description: 'Its new incidents escalate to nobody until it follows another.',
  })
  @ApiOkResponse({ type: EscalationPolicyMutationResponse })
  detach(@Param('id', policyId) id: string, @Param('serviceId', SlugParamPipe) serviceId: string) {
    return this.commands.detach(id, serviceId);
  }
}
