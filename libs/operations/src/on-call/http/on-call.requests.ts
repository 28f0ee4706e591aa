import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
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
import { DailyWindow, Rotation, ScheduleLayer, WEEKDAYS, Weekday } from '../domain';

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ROTATIONS: Rotation[] = ['daily', 'weekly', 'custom'];

export class DailyWindowRequest {
  @ApiProperty({ example: '09:00' })
  @Matches(HH_MM, { message: 'from must be a 24-hour local time HH:mm' })
  from!: string;

  @ApiProperty({ example: '17:00', description: 'Before `from`: the window runs past midnight' })
  @Matches(HH_MM, { message: 'to must be a 24-hour local time HH:mm' })
  to!: string;
}

export class ScheduleLayerRequest {
  @ApiProperty({ example: 'primary' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: ['ana', 'ben', 'cho'], description: 'People in rotation order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  members!: string[];

  @ApiProperty({ enum: ROTATIONS })
  @IsIn(ROTATIONS)
  rotation!: Rotation;

  @ApiPropertyOptional({ description: 'Custom rotations only: hours per turn' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 366)
  rotationLengthHours?: number;

  @ApiProperty({ example: '09:00', description: 'Local wall time of the handoff' })
  @Matches(HH_MM, { message: 'handoffTime must be a 24-hour local time HH:mm' })
  handoffTime!: string;

  @ApiPropertyOptional({ enum: WEEKDAYS, description: 'Weekly rotations only' })
  @IsOptional()
  @IsIn(WEEKDAYS)
  handoffDay?: Weekday;

  @ApiProperty({ example: '2026-03-02T09:00:00-05:00', description: 'When the first turn starts' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiPropertyOptional({
    type: DailyWindowRequest,
    description: 'On call only inside this daily window',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DailyWindowRequest)
  restrictions?: DailyWindowRequest;
}

export class CreateScheduleRequest {
  @ApiProperty({ example: 'Payments primary' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'America/New_York', description: 'IANA time zone of the handoffs' })
  @IsString()
  @Length(1, 100)
  timeZone!: string;

  @ApiPropertyOptional({ example: 'payments', description: 'The team this schedule answers for' })
  @IsOptional()
  @Matches(SLUG, { message: `teamId must be ${SLUG_DESCRIPTION}` })
  teamId?: string;

  @ApiPropertyOptional({ type: [ScheduleLayerRequest], description: 'Lowest precedence first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ScheduleLayerRequest)
  layers?: ScheduleLayerRequest[];
}

export class ReplaceLayersRequest {
  @ApiProperty({ type: [ScheduleLayerRequest], description: 'Lowest precedence first' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ScheduleLayerRequest)
  layers!: ScheduleLayerRequest[];
}

export class AssignTeamRequest {
  @ApiProperty({ example: 'payments', nullable: true, description: 'Null: no team' })
  @IsOptional()
  @Matches(SLUG, { message: `teamId must be ${SLUG_DESCRIPTION}` })
  teamId!: string | null;
}

export class ScheduleOverrideRequest {
  @ApiProperty({ example: 'zoe', description: 'On call over every layer for the range' })
  @IsString()
  @Length(1, 128)
  person!: string;

  @ApiProperty({ example: '2026-03-08T00:00:00-05:00' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2026-03-08T12:00:00-04:00', description: 'At most 90 days later' })
  @IsISO8601({ strict: true })
  endsAt!: string;
}

export class ListSchedulesQuery extends ListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SLUG, { message: `teamId must be ${SLUG_DESCRIPTION}` })
  teamId?: string;
}

export class OnCallAtQuery {
  @ApiPropertyOptional({ example: '2026-03-08T10:00:00Z', description: 'Now when left out' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

export class ShiftsQuery {
  @ApiProperty({ example: '2026-03-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2026-03-15T00:00:00Z', description: 'At most 93 days after from' })
  @IsISO8601({ strict: true })
  to!: string;
}

/** Request layers as plain domain values: no class instances, no undefined fields. */
export function toLayer(request: ScheduleLayerRequest): ScheduleLayer {
  const restrictions: DailyWindow | undefined = request.restrictions
    ? { from: request.restrictions.from, to: request.restrictions.to }
    : undefined;
  return {
    name: request.name,
    members: [...request.members],
    rotation: request.rotation,
    handoffTime: request.handoffTime,
    startsAt: request.startsAt,
    ...(request.rotationLengthHours === undefined
      ? {}
      : { rotationLengthHours: request.rotationLengthHours }),
    ...(request.handoffDay === undefined ? {} : { handoffDay: request.handoffDay }),
    ...(restrictions ? { restrictions } : {}),
  };
}
