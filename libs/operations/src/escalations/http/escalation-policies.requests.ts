import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { SLUG, SLUG_DESCRIPTION } from '@observe/context-graph';

import { ListQuery } from '../../shared/list-query';
import { EscalationLevel, EscalationTargetKind, MAX_REPEAT } from '../domain';

const TARGET_KINDS: EscalationTargetKind[] = ['person', 'schedule'];

export class EscalationTargetRequest {
  @ApiProperty({ enum: TARGET_KINDS })
  @IsIn(TARGET_KINDS)
  kind!: EscalationTargetKind;

  @ApiProperty({ example: 'ana', description: 'A person, or an on-call schedule id' })
  @IsString()
  @Length(1, 128)
  id!: string;
}

export class EscalationLevelRequest {
  @ApiProperty({ example: 15, description: 'Minutes to acknowledge before the next level' })
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  delayMinutes!: number;

  @ApiProperty({ type: [EscalationTargetRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EscalationTargetRequest)
  targets!: EscalationTargetRequest[];
}

export class CreateEscalationPolicyRequest {
  @ApiProperty({ example: 'Payments escalation' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: [EscalationLevelRequest], description: 'In order; level 0 is paged first' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EscalationLevelRequest)
  levels!: EscalationLevelRequest[];

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_REPEAT,
    description: 'Extra rounds of the ladder',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_REPEAT)
  repeat?: number;

  @ApiPropertyOptional({ example: ['payments-api'], description: 'Services that follow it' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SLUG, { each: true, message: `each service must be ${SLUG_DESCRIPTION}` })
  services?: string[];
}

export class UpdateEscalationPolicyRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: [EscalationLevelRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EscalationLevelRequest)
  levels?: EscalationLevelRequest[];

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_REPEAT })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_REPEAT)
  repeat?: number;
}

export class AttachServiceRequest {
  @ApiProperty({
    example: 'payments-api',
    description: 'Moves the service here from any other policy',
  })
  @Matches(SLUG, { message: `serviceId must be ${SLUG_DESCRIPTION}` })
  serviceId!: string;
}

export class ListEscalationPoliciesQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'The policy this service follows' })
  @IsOptional()
  @Matches(SLUG, { message: `service must be ${SLUG_DESCRIPTION}` })
  service?: string;
}

/** Request levels as plain domain values. */
export function toLevels(levels: EscalationLevelRequest[]): EscalationLevel[] {
  return levels.map((level) => ({
    delayMinutes: level.delayMinutes,
    targets: level.targets.map((target) => ({ kind: target.kind, id: target.id })),
  }));
}
