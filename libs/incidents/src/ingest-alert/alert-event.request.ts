import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { SLUG, SLUG_DESCRIPTION } from '@observe/context-graph';

import { SEVERITIES, Severity } from '../domain/incident';
import { IncidentLinkRequest } from '../http/incident-link.request';
import { MaxJsonSize } from '../http/max-json-size.validator';
import { AlertAction } from './alert-ingestion';

const ACTIONS: AlertAction[] = ['trigger', 'acknowledge', 'resolve'];
const isTrigger = (body: AlertEventRequest): boolean => body.action === 'trigger';

/** One alert event, shaped like PagerDuty's Events API v2 (in camelCase). */
export class AlertEventRequest {
  @ApiProperty({ example: 'checkout', description: 'A registered service (404 otherwise)' })
  @Matches(SLUG, { message: `must be ${SLUG_DESCRIPTION}` })
  service!: string;

  @ApiProperty({ enum: ACTIONS })
  @IsIn(ACTIONS)
  action!: AlertAction;

  @ApiPropertyOptional({
    example: 'checkout-5xx-rate',
    description: 'Groups alerts into one incident. Optional for trigger (generated), else required',
  })
  @ValidateIf((body: AlertEventRequest) => !isTrigger(body) || body.dedupKey !== undefined)
  @IsDefined({ message: 'dedupKey is required to acknowledge or resolve' })
  @IsString()
  @Length(1, 255)
  dedupKey?: string;

  @ApiPropertyOptional({
    example: 'Checkout 5xx rate above 5%',
    description: 'Required for trigger',
  })
  @ValidateIf((body: AlertEventRequest) => isTrigger(body) || body.summary !== undefined)
  @IsDefined({ message: 'summary is required for a trigger' })
  @IsString()
  @Length(1, 1024)
  summary?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'Required for trigger' })
  @ValidateIf((body: AlertEventRequest) => isTrigger(body) || body.severity !== undefined)
  @IsDefined({ message: 'severity is required for a trigger' })
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ example: 'prometheus', description: 'What sent it. Required for trigger' })
  @ValidateIf((body: AlertEventRequest) => isTrigger(body) || body.source !== undefined)
  @IsDefined({ message: 'source is required for a trigger' })
  @IsString()
  @Length(1, 255)
  source?: string;

  @ApiPropertyOptional({ type: [IncidentLinkRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IncidentLinkRequest)
  links?: IncidentLinkRequest[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Custom details, at most 64 KiB as JSON',
  })
  @IsOptional()
  @IsObject()
  @MaxJsonSize(65_536)
  details?: Record<string, unknown>;
}
