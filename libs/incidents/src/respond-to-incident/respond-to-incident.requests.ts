import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';

import { PERSON_ID } from '@observe/context-graph';

import { SEVERITIES, Severity } from '../domain/incident';
import { IncidentLinkRequest } from '../http/incident-link.request';

export class AcknowledgeIncidentRequest {
  @ApiPropertyOptional({ example: 'Looking into it' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class ResolveIncidentRequest {
  @ApiProperty({ example: 'Rolled back payments-api to 1.4.1; error rate back to 0.2%' })
  @IsString()
  @Length(1, 4000)
  note!: string;
}

export class PostIncidentUpdateRequest {
  @ApiProperty({ example: 'Rollback of payments-api started' })
  @IsString()
  @Length(1, 4000)
  message!: string;

  @ApiPropertyOptional({ type: [IncidentLinkRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IncidentLinkRequest)
  links?: IncidentLinkRequest[];
}

export class ChangeSeverityRequest {
  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: Severity;

  @ApiPropertyOptional({ example: 'Card payments fail for all customers' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class AssignIncidentRequest {
  @ApiProperty({ example: 'alice', description: 'A person: a handle or an email address' })
  @Matches(PERSON_ID, { message: 'must be 1-128 of A-Z a-z 0-9 . _ @ + -' })
  assignee!: string;
}
