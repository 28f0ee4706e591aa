import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
  OmitType,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

import { SAFE_ID, ValidationError } from '@observe/core';

import { RequireScope } from '../scopes/route-access.decorator';
import { AuditReader } from './audit-reader';

export class AuditQueryParams {
  @ApiPropertyOptional() @IsOptional() @Matches(SAFE_ID) agentId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(SAFE_ID) conversationId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  @Length(36, 36)
  tokenId?: string;
  @ApiPropertyOptional({ example: 'IncidentAcknowledged' })
  @IsOptional()
  @Matches(/^[A-Z][A-Za-z0-9]{1,99}$/)
  type?: string;
  @ApiPropertyOptional({ description: 'A stream id, or a prefix ending in *' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  stream?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ description: 'Only events after this position' })
  @IsOptional()
  @Matches(/^\d+-\d+$/)
  after?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ConversationQueryParams extends OmitType(AuditQueryParams, [
  'conversationId',
] as const) {}

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly reader: AuditReader) {}

  @Get()
  @RequireScope('audit:read')
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: 'Read the audit trail',
    description:
      'The event stream itself, in global order, with who did what: actor, agent, conversation ' +
      'and idempotency key. Secrets are redacted.',
  })
  @ApiOkResponse({ description: '{ data, nextCursor }' })
  list(@Query() query: AuditQueryParams) {
    return this.reader.query({ ...query, limit: query.limit ?? 100 });
  }

  @Get('conversations/:conversationId')
  @RequireScope('audit:read')
  @ApiOperation({
    operationId: 'listConversationActions',
    summary: "List one agent conversation's actions in order",
  })
  @ApiOkResponse({ description: '{ data, nextCursor }' })
  conversation(
    @Param('conversationId') conversationId: string,
    @Query() query: ConversationQueryParams,
  ) {
    if (!SAFE_ID.test(conversationId)) {
      throw new ValidationError('conversationId is at most 128 of [A-Za-z0-9._:-]', [
        { field: 'conversationId', message: 'invalid' },
      ]);
    }
    return this.reader.query({ ...query, conversationId, limit: query.limit ?? 100 });
  }
}
