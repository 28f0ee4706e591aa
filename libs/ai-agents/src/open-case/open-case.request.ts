import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

import { SEVERITIES, Severity } from '@observe/incidents';

/** PostgreSQL text and jsonb cannot hold NUL; refusing it here keeps that a 400. */
const NO_NUL = /^[^\u0000]*$/;

export class OpenAgentCaseRequest {
  @ApiProperty({ example: 'Spend spike: 9x the usual daily spend' })
  @IsString()
  @Length(1, 400)
  @Matches(NO_NUL, { message: 'must not contain the NUL character' })
  title!: string;

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'warning' })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ example: 'Spend rose from about $2/day to $41 today, mostly gpt-4o.' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  @Matches(NO_NUL, { message: 'must not contain the NUL character' })
  summary?: string;
}
