import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';

import { SLUG, SLUG_DESCRIPTION } from '@observe/context-graph';

import { INCIDENT_KINDS, IncidentKind, SEVERITIES, Severity } from '../domain/incident';
import { IncidentLinkRequest } from '../http/incident-link.request';
import { MaxJsonSize } from '../http/max-json-size.validator';

export class OpenIncidentRequest {
  @ApiProperty({ example: 'Checkout error rate above 5%' })
  @IsString()
  @Length(1, 500)
  title!: string;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: Severity;

  @ApiPropertyOptional({
    example: 'checkout',
    description: 'A registered service; required unless kind is security or case',
  })
  @IsOptional()
  @Matches(SLUG, { message: `must be ${SLUG_DESCRIPTION}` })
  service?: string;

  @ApiPropertyOptional({ enum: INCIDENT_KINDS, default: 'incident' })
  @IsOptional()
  @IsIn(INCIDENT_KINDS)
  kind?: IncidentKind;

  @ApiPropertyOptional({ example: 'Error rate climbed from 0.2% to 6% at 11:58 UTC' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  summary?: string;

  @ApiPropertyOptional({
    description: 'Later alerts with this key on the service join this incident while it is open',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  dedupKey?: string;

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
    description: 'At most 64 KiB',
  })
  @IsOptional()
  @IsObject()
  @MaxJsonSize(65_536)
  details?: Record<string, unknown>;
}
