import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { ContextGraphCommands } from './context-graph-commands';
import {
  DeclareDependencyRequest,
  RecordDeploymentRequest,
  RegisterServiceRequest,
  RegisterTeamRequest,
} from './topology.requests';
import {
  DependencyDeclaredResponse,
  DeploymentRecordedResponse,
  ServiceRegisteredResponse,
  TeamRegisteredResponse,
} from './topology.responses';

@ApiTags('context')
@Controller('api/v1/context')
export class TopologyController {
  constructor(private readonly commands: ContextGraphCommands) {}

  @Post('teams')
  @RequireScope('context:write')
  @ApiOperation({
    operationId: 'registerTeam',
    summary: 'Register or update a team and its members',
    description:
      'Writes TeamRegistered. Registering again replaces the name and the members; the same ' +
      'registration again writes nothing.',
  })
  @ApiCreatedResponse({ type: TeamRegisteredResponse })
  registerTeam(@Body() body: RegisterTeamRequest) {
    return this.commands.registerTeam({
      id: body.id,
      name: body.name,
      members: body.members.map((member) => ({
        id: member.id,
        name: member.name ?? null,
        email: member.email ?? null,
      })),
    });
  }

  @Post('services')
  @RequireScope('context:write')
  @ApiOperation({
    operationId: 'registerService',
    summary: 'Register or update a service with its owner team and tier',
    description: 'Writes ServiceRegistered. The owner team must be registered (404 otherwise).',
  })
  @ApiCreatedResponse({ type: ServiceRegisteredResponse })
  registerService(@Body() body: RegisterServiceRequest) {
    return this.commands.registerService(body);
  }

  @Post('dependencies')
  @RequireScope('context:write')
  @ApiOperation({
    operationId: 'declareDependency',
    summary: 'Declare that one service depends on another',
    description:
      'Writes DependencyDeclared on the `from` service: `from` depends on `to`. Both must be ' +
      'registered. Cycles are allowed; declaring it again writes nothing.',
  })
  @ApiCreatedResponse({ type: DependencyDeclaredResponse })
  declareDependency(@Body() body: DeclareDependencyRequest) {
    return this.commands.declareDependency(body);
  }

  @Post('deployments')
  @RequireScope('context:write')
  @ApiOperation({
    operationId: 'recordDeployment',
    summary: 'Record a deployment of a service',
    description:
      'Writes DeploymentRecorded. The analyst weighs deployments on a service and its upstream ' +
      'dependencies shortly before an incident.',
  })
  @ApiCreatedResponse({ type: DeploymentRecordedResponse })
  recordDeployment(@Body() body: RecordDeploymentRequest) {
    return this.commands.recordDeployment(body);
  }
}
