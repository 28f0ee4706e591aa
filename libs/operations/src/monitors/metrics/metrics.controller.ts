import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';

import { RequireScope } from '@observe/access';

import { METRIC_NAME } from '../domain';
import { MetricsAcceptedSchema } from '../http/monitors.schemas';
import { MetricPoints } from './metric-points';

export class MetricPointRequest {
  @ApiProperty({ example: 'checkout-api' })
  @IsString()
  @Length(1, 200)
  service!: string;

  @ApiProperty({ example: 'latency_p99_ms' })
  @Matches(METRIC_NAME, { message: 'metric must be 1-200 of A-Z a-z 0-9 _ . : / -' })
  metric!: string;

  @ApiProperty({ example: 412.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value!: number;

  @ApiPropertyOptional({ example: '2026-03-01T14:00:00Z', description: 'Now when left out' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

export class IngestMetricsRequest {
  @ApiProperty({ type: [MetricPointRequest], description: '1 to 1000 points' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => MetricPointRequest)
  points!: MetricPointRequest[];
}

@ApiTags('monitors')
@Controller('api/v1/metrics')
export class MetricsController {
  constructor(private readonly points: MetricPoints) {}

  @Post()
  @HttpCode(202)
  @RequireScope('monitors:write')
  @ApiOperation({
    operationId: 'ingestMetricPoints',
    summary: 'Ingest metric points',
    description:
      'Points that threshold monitors evaluate. Telemetry, not decisions: stored for 8 days, ' +
      'with no event each. All or none: one bad point refuses the batch.',
  })
  @ApiAcceptedResponse({ type: MetricsAcceptedSchema })
  ingest(@Body() body: IngestMetricsRequest) {
    return this.points.ingest(body.points);
  }
}
