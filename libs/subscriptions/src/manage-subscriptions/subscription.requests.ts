import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';

import { DEFAULT_SECRET_OVERLAP_HOURS } from './subscription-commands';

export class CreateSubscriptionRequest {
  @ApiProperty({
    example: 'https://hooks.example.com/24observe',
    description:
      'http(s) URL that receives the webhooks. It must resolve to a public address unless the ' +
      'operator allow-listed its range (WEBHOOK_ALLOWED_CIDRS).',
  })
  @IsString()
  @Length(1, 2_000)
  url!: string;

  @ApiProperty({
    example: ['incident.opened', 'incident.resolved'],
    description:
      'Integration event types (GET /api/v1/subscriptions/event-types), `<family>.*` such as ' +
      '`incident.*`, or `*` for all',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  eventTypes!: string[];

  @ApiPropertyOptional({ example: 'Pages the on-call bot', nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string | null;
}

export class RotateSecretRequest {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 168,
    default: DEFAULT_SECRET_OVERLAP_HOURS,
    description: 'Hours the previous secret keeps signing beside the new one (0: stop at once)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(168)
  overlapHours?: number;
}

export class PauseSubscriptionRequest {
  @ApiPropertyOptional({ example: 'receiver under maintenance until 14:00', nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string | null;
}
