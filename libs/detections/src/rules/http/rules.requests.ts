import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

import { IncidentSeverity, SEVERITY_BY_LEVEL, SIGMA_LEVELS, SigmaLevel } from '../../sigma';
import { RULE_STATUSES, RuleStatus } from '../domain/detection-rule';

/** PostgreSQL text and jsonb cannot hold NUL; refusing it here keeps that a 400. */
const NO_NUL = /^[^\u0000]*$/;

const SEVERITIES = [...new Set(Object.values(SEVERITY_BY_LEVEL))];

const EXAMPLE_RULE = `title: SSH password spraying
level: high
tags: [attack.credential_access, attack.t1110.003]
logsource:
  product: linux
  service: sshd
detection:
  selection:
    event.action: login_failed
  condition: selection | count(user.name) by source.ip > 10
  timeframe: 5m
`;

export class PublishRuleRequest {
  @ApiProperty({
    description: 'A Sigma rule in YAML, in the subset of docs/sigma-subset.md (at most 64 KiB)',
    example: EXAMPLE_RULE,
  })
  @IsString()
  @Length(1, 65_536)
  @Matches(NO_NUL, { message: 'must not contain the NUL character' })
  source!: string;
}

export class ReviseRuleRequest extends PublishRuleRequest {
  @ApiPropertyOptional({ example: 'Raise the threshold: the build farm retries logins' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @Matches(NO_NUL, { message: 'must not contain the NUL character' })
  note?: string;
}

export class DisableRuleRequest {
  @ApiProperty({ example: 'Floods on-call with false positives from the scanner subnet' })
  @IsString()
  @Length(1, 1000)
  @Matches(NO_NUL, { message: 'must not contain the NUL character' })
  reason!: string;
}

export class ListRulesQuery {
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

  @ApiPropertyOptional({ enum: RULE_STATUSES })
  @IsOptional()
  @IsIn(RULE_STATUSES)
  status?: RuleStatus;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'Severity of the incidents it opens' })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: IncidentSeverity;

  @ApiPropertyOptional({ enum: SIGMA_LEVELS, description: 'The Sigma level as written' })
  @IsOptional()
  @IsIn(SIGMA_LEVELS)
  level?: SigmaLevel;

  @ApiPropertyOptional({ example: 'credential_access', description: 'ATT&CK tactic (Sigma name)' })
  @IsOptional()
  @Matches(/^[a-z_]{3,40}$/i, { message: 'must be a tactic name such as credential_access' })
  tactic?: string;

  @ApiPropertyOptional({ example: 'T1110.003', description: 'ATT&CK technique id' })
  @IsOptional()
  @Matches(/^t\d{4}(\.\d{3})?$/i, { message: 'must be a technique id such as T1110.003' })
  technique?: string;
}
