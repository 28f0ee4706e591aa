import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

import { ListQuery } from '../query-subscriptions/list-page';
import { DeliveryStatus } from '../storage/subscriptions.schema';

export const DELIVERY_STATUSES: DeliveryStatus[] = [
  'pending',
  'held',
  'delivered',
  'dead_lettered',
  'cancelled',
];

export class ListDeliveriesQuery extends ListQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class RecoverDeliveriesRequest {
  @ApiProperty({
    example: '2026-03-01T00:00:00Z',
    description: 'Dead-lettered deliveries created at or after this time are scheduled again',
  })
  @IsISO8601({ strict: true })
  since!: string;
}
