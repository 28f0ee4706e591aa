import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

import { RequireScope } from '@observe/access';

import { UuidParamPipe } from '../shared/uuid-param.pipe';
import { DetectionQueries } from './detection-queries';

export class ListDetectionsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only detections of this rule' })
  @IsOptional()
  @IsUUID()
  ruleId?: string;

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
  @Length(1, 500)
  cursor?: string;
}

class DetectionSchema {
  @ApiProperty({ format: 'uuid' }) detectionId!: string;
  @ApiProperty({ format: 'uuid' }) ruleId!: string;
  @ApiProperty() ruleVersion!: number;
  @ApiProperty() ruleTitle!: string;
  @ApiProperty() level!: string;
  @ApiProperty() severity!: string;
  @ApiProperty({ type: String, nullable: true }) groupBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) group!: string | null;
  @ApiProperty({ description: 'Matching events (or distinct values) in the window' })
  count!: number;
  @ApiProperty({ format: 'date-time', description: 'Exclusive' }) windowStart!: string;
  @ApiProperty({ format: 'date-time' }) windowEnd!: string;
  @ApiProperty({ format: 'uuid', description: 'The security incident it opened' })
  incidentId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'uuid', description: 'The DetectionTriggered event' }) eventId!: string;
}

class DetectionListResponse {
  @ApiProperty({ type: [DetectionSchema] }) data!: DetectionSchema[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

@ApiTags('siem')
@Controller('api/v1/siem/detections')
export class DetectionsController {
  constructor(private readonly queries: DetectionQueries) {}

  @Get()
  @RequireScope('siem:read')
  @ApiOperation({
    operationId: 'listDetections',
    summary: 'List detections, newest first',
    description: 'Each firing of a rule, with its window, count and the incident it opened.',
  })
  @ApiOkResponse({ type: DetectionListResponse })
  list(@Query() query: ListDetectionsQuery) {
    return this.queries.list({ ...query, limit: query.limit ?? 50 });
  }

  @Get(':id')
  @RequireScope('siem:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'getDetection',
    summary: 'Read a detection with its matching events',
    description: 'The detection and every matching security event as it was ingested.',
  })
  @ApiOkResponse({ type: DetectionSchema })
  get(@Param('id', new UuidParamPipe()) id: string) {
    return this.queries.get(id);
  }
}
