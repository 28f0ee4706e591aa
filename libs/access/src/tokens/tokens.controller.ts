import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';

import { FullTokenOnly } from '../scopes/route-access.decorator';
import { TokenService, TokenView } from './token.service';

export class MintTokenRequest {
  @ApiProperty({ example: 'triage-agent', description: 'A name people recognise' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: ['incidents:read', 'incidents:write', 'context:read'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  scopes!: string[];

  @ApiProperty({ example: 200, description: 'Mutations allowed per UTC day' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  dailyMutationLimit!: number;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string | null;

  @ApiPropertyOptional({ description: 'Mint a full token (all areas, no agent limits)' })
  @IsOptional()
  @IsBoolean()
  full?: boolean;
}

export class RevokeTokenRequest {
  @ApiPropertyOptional({ example: 'agent retired' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

@ApiTags('access')
@Controller('api/v1/me/tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @FullTokenOnly('mint-tokens')
  @ApiOperation({
    operationId: 'mintToken',
    summary: 'Mint a token',
    description:
      'Mints a scoped (agent) token, or a full one with `full: true`. The secret is shown once.',
  })
  @ApiCreatedResponse({ description: 'The token, with its secret shown once' })
  mint(@Body() body: MintTokenRequest) {
    return this.tokens.mint({
      name: body.name,
      kind: body.full ? 'full' : 'scoped',
      scopes: body.scopes,
      dailyMutationLimit: body.dailyMutationLimit,
      expiresAt: body.expiresAt ?? null,
    });
  }

  @Get()
  @FullTokenOnly('mint-tokens')
  @ApiOperation({ operationId: 'listTokens', summary: 'List tokens (never their secrets)' })
  @ApiOkResponse({ description: 'Tokens without secrets' })
  async list(): Promise<{ data: TokenView[] }> {
    return { data: await this.tokens.list() };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @FullTokenOnly('mint-tokens')
  @ApiOperation({
    operationId: 'revokeToken',
    summary: 'Revoke a token',
    description: 'Takes effect on the next request. Revoking twice changes nothing.',
  })
  @ApiOkResponse({ description: 'The revoked token' })
  revoke(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: RevokeTokenRequest) {
    return this.tokens.revoke(id, body.reason ?? null);
  }
}
