import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

import { RequireScope } from '@observe/access';

import { ParseSlugPipe } from '../http/slug.pipe';
import { ContextGraphReader } from './context-graph.reader';
import {
  DeploymentResponse,
  ServiceContextResponse,
  ServiceListResponse,
  TeamContextResponse,
} from './graph.responses';

export class ListServicesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

@ApiTags('context')
@Controller('api/v1/context')
export class ExploreGraphController {
  constructor(private readonly reader: ContextGraphReader) {}

  @Get('services')
  @RequireScope('context:read')
  @ApiOperation({
    operationId: 'listServices',
    summary: 'List registered services',
    description: 'Ordered by id; page with `limit` and the `nextCursor` of the previous answer.',
  })
  @ApiOkResponse({ type: ServiceListResponse })
  listServices(@Query() query: ListServicesQuery) {
    return this.reader.listServices({ limit: query.limit ?? 100, cursor: query.cursor });
  }

  @Get('services/:id')
  @RequireScope('context:read')
  @ApiOperation({
    operationId: 'getServiceContext',
    summary: 'Read a service with its neighbours and their evidence',
    description:
      'Owner team, dependencies (outgoing depends_on), dependents (incoming depends_on), the ' +
      'latest deployments and open incidents. Every edge cites the event it came from and links ' +
      'back to its source.',
  })
  @ApiOkResponse({ type: ServiceContextResponse })
  service(@Param('id', new ParseSlugPipe('id')) id: string) {
    return this.reader.service(id);
  }

  @Get('teams/:id')
  @RequireScope('context:read')
  @ApiOperation({
    operationId: 'getTeamContext',
    summary: 'Read a team with its members and the services it owns',
  })
  @ApiOkResponse({ type: TeamContextResponse })
  team(@Param('id', new ParseSlugPipe('id')) id: string) {
    return this.reader.team(id);
  }

  @Get('deployments/:id')
  @RequireScope('context:read')
  @ApiOperation({
    operationId: 'getDeployment',
    summary: 'Read one recorded deployment',
    description: 'The target of deployment evidence links (analyst verdicts cite these).',
  })
  @ApiOkResponse({ type: DeploymentResponse })
  deployment(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.reader.deployment(id);
  }
}
