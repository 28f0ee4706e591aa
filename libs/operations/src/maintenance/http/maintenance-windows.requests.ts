import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';

import { ListQuery } from '../../shared/list-query';
import { MaintenancePhase } from '../domain';

const PHASES: MaintenancePhase[] = ['upcoming', 'in_progress', 'over', 'cancelled'];

export class ScheduleMaintenanceWindowRequest {
  @ApiProperty({ example: ['checkout-api'], description: 'Service ids whose alerts are muted' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  services!: string[];

  @ApiProperty({
    example: '2026-03-01T14:00:00Z',
    description: 'ISO-8601 with an offset; at most 5 minutes in the past',
  })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({
    example: '2026-03-01T16:00:00Z',
    description: 'After startsAt; a window lasts at most 7 days',
  })
  @IsISO8601({ strict: true })
  endsAt!: string;

  @ApiProperty({ example: 'database upgrade' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class ExtendMaintenanceWindowRequest {
  @ApiProperty({ example: '2026-03-01T18:00:00Z', description: 'Later than the current end' })
  @IsISO8601({ strict: true })
  endsAt!: string;
}

export class ListMaintenanceWindowsQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Only windows covering this service' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  service?: string;

  @ApiPropertyOptional({ enum: PHASES, description: 'Where the window stands now' })
  @IsOptional()
  @IsIn(PHASES)
  status?: MaintenancePhase;
}

export class ListSuppressedAlertsQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Only alerts on this service' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  service?: string;
}
