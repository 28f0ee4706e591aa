import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { PERSON_ID, SLUG, SLUG_DESCRIPTION } from '../domain/identifiers';

const slugMessage = { message: `must be ${SLUG_DESCRIPTION}` };

export class TeamMemberRequest {
  @ApiProperty({ example: 'alice', description: 'A handle or an email address' })
  @Matches(PERSON_ID, { message: 'must be 1-128 of A-Z a-z 0-9 . _ @ + -' })
  id!: string;

  @ApiPropertyOptional({ example: 'Alice Martin' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'alice@example.com' })
  @IsOptional()
  @IsEmail()
  email?: string;
}

export class RegisterTeamRequest {
  @ApiProperty({ example: 'payments', description: SLUG_DESCRIPTION })
  @Matches(SLUG, slugMessage)
  id!: string;

  @ApiProperty({ example: 'Payments' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    type: [TeamMemberRequest],
    description: 'Replaces the members on re-registration',
  })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => TeamMemberRequest)
  members!: TeamMemberRequest[];
}

export class RegisterServiceRequest {
  @ApiProperty({ example: 'payments-api', description: SLUG_DESCRIPTION })
  @Matches(SLUG, slugMessage)
  id!: string;

  @ApiProperty({ example: 'Payments API' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'payments', description: 'A registered team' })
  @Matches(SLUG, slugMessage)
  ownerTeam!: string;

  @ApiProperty({ example: 1, minimum: 0, maximum: 4, description: '0 is the most critical' })
  @IsInt()
  @Min(0)
  @Max(4)
  tier!: number;
}

export class DeclareDependencyRequest {
  @ApiProperty({ example: 'checkout', description: 'The service that depends on `to`' })
  @Matches(SLUG, slugMessage)
  from!: string;

  @ApiProperty({ example: 'payments-api', description: 'The service `from` depends on' })
  @Matches(SLUG, slugMessage)
  to!: string;
}

export class RecordDeploymentRequest {
  @ApiProperty({ example: 'payments-api' })
  @Matches(SLUG, slugMessage)
  service!: string;

  @ApiProperty({ example: '1.4.2' })
  @IsString()
  @Length(1, 100)
  version!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When it went live; default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ example: 'https://github.com/acme/payments/releases/tag/v1.4.2' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @Length(1, 2000)
  link?: string;
}
