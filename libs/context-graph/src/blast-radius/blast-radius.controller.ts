import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { RequireScope } from '@observe/access';

import { BlastRadiusQuery, DEFAULT_BLAST_DEPTH, MAX_BLAST_DEPTH } from './blast-radius.query';
import { BlastRadiusResponse } from './blast-radius.responses';

export class BlastRadiusParams {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_BLAST_DEPTH, default: DEFAULT_BLAST_DEPTH })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_BLAST_DEPTH)
  depth?: number;
}

@ApiTags('context')
@Controller('api/v1/context/incident')
export class BlastRadiusController {
  constructor(private readonly blastRadius: BlastRadiusQuery) {}

  @Get(':id/blast')
  @RequireScope('context:read')
  @ApiOperation({
    operationId: 'getIncidentBlastRadius',
    summary: 'List the services an incident may impact, with owners and evidence',
    description:
      'The services that depend on the incident’s service, transitively, nearest first: depth, ' +
      'path and the evidence of every dependency on it, owner teams, on-call contacts where ' +
      `known, and their open incidents. Computed in the database up to \`depth\` (default ` +
      `${DEFAULT_BLAST_DEPTH}, at most ${MAX_BLAST_DEPTH}); cycles are safe.`,
  })
  @ApiOkResponse({ type: BlastRadiusResponse })
  blast(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: BlastRadiusParams) {
    return this.blastRadius.forIncident(id, query.depth ?? DEFAULT_BLAST_DEPTH);
  }
}
