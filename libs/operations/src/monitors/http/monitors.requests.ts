import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Length } from 'class-validator';

import { ListQuery } from '../../shared/list-query';
import { MONITOR_KINDS, MonitorKind, MonitorStatus } from '../domain';
import { MonitorCredentialsSchema, SETTINGS_SCHEMA } from './monitors.schemas';

const STATUSES: MonitorStatus[] = ['active', 'paused'];

const SETTINGS_DESCRIPTION =
  'By kind. http: url is required. threshold: metric, operator and threshold are required. ' +
  'The rest have defaults.';

const CREDENTIALS_DESCRIPTION =
  'Write-only: HTTP headers the check sends (Authorization, API keys). Encrypted at rest; ' +
  'never returned (answers show only whether they are set).';

export class CreateMonitorRequest {
  @ApiProperty({ example: 'checkout health' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'checkout-api', description: 'A service of the context graph' })
  @IsString()
  @Length(1, 200)
  service!: string;

  @ApiProperty({ enum: MONITOR_KINDS })
  @IsIn(MONITOR_KINDS)
  kind!: MonitorKind;

  @ApiProperty({
    ...SETTINGS_SCHEMA,
    description: SETTINGS_DESCRIPTION,
    example: { url: 'https://checkout.example.com/health', intervalSeconds: 60 },
  })
  @IsObject()
  settings!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: MonitorCredentialsSchema,
    writeOnly: true,
    description: CREDENTIALS_DESCRIPTION,
  })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown>;
}

export class TuneMonitorRequest {
  @ApiPropertyOptional({ example: 'checkout health (EU)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    ...SETTINGS_SCHEMA,
    description: `Merged over the current settings. ${SETTINGS_DESCRIPTION}`,
    example: { intervalSeconds: 30 },
  })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: MonitorCredentialsSchema,
    nullable: true,
    writeOnly: true,
    description: `${CREDENTIALS_DESCRIPTION} Replaces the current ones; null removes them.`,
  })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown> | null;
}

export class PauseMonitorRequest {
  @ApiPropertyOptional({ example: 'noisy during the migration' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class ListMonitorsQuery extends ListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  service?: string;

  @ApiPropertyOptional({ enum: MONITOR_KINDS })
  @IsOptional()
  @IsIn(MONITOR_KINDS)
  kind?: MonitorKind;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: MonitorStatus;
}
