import { ApiProperty } from '@nestjs/swagger';

import { ProducedEventSchema } from '../manage-subscriptions/subscription.responses';
import { DELIVERY_STATUSES } from './delivery.requests';

export class AttemptSchema {
  @ApiProperty({ example: 1 }) attempt!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['delivered', 'failed', 'gone', 'throttled'] }) outcome!: string;
  @ApiProperty({ type: Number, nullable: true, example: 500 }) statusCode!: number | null;
  @ApiProperty({ example: 42 }) latencyMs!: number;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 500' }) error!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['refused', 'unresolvable', 'connection', 'timeout', 'redirect', 'status'],
  })
  errorKind!: string | null;
  @ApiProperty({ type: String, nullable: true }) responseSnippet!: string | null;
}

export class DeliverySchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ description: 'The webhook-id header, the same on every attempt' })
  eventId!: string;
  @ApiProperty({ example: 'incident.opened' }) eventType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty() attemptCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deadLetteredAt!:
    string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body as sent' })
  payload!: Record<string, unknown>;
  @ApiProperty({ type: [AttemptSchema], description: 'Oldest first; the last 50 at most' })
  attempts!: AttemptSchema[];
}

export class DeliveryMutationResponse extends DeliverySchema {
  @ApiProperty({ type: [ProducedEventSchema] }) events!: ProducedEventSchema[];
}

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliverySchema] }) data!: DeliverySchema[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RecoveredDeliveriesResponse {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ description: 'Dead-lettered deliveries scheduled again' }) recovered!: number;
  @ApiProperty({ type: [ProducedEventSchema] }) events!: ProducedEventSchema[];
}
