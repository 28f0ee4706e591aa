import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProducedEventSchema {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'SubscriptionCreated' }) type!: string;
  @ApiProperty({ description: 'Global position of the event (opaque)' }) position!: string;
}

export class SubscriptionLinksSchema {
  @ApiProperty({ example: '/api/v1/subscriptions/5d0c3a8e-2f4b-4f61-9a57-0e8d1c2b3a40' })
  self!: string;
  @ApiProperty({ example: '/api/v1/subscriptions/5d0c3a8e-2f4b-4f61-9a57-0e8d1c2b3a40/deliveries' })
  deliveries!: string;
}

export class SubscriptionSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: '`[redacted]` for scoped tokens' }) url!: string;
  @ApiProperty({ type: [String], example: ['incident.opened'] }) eventTypes!: string[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: ['active', 'paused', 'disabled'] }) status!: string;
  @ApiProperty({ type: String, enum: ['gone', 'failing'], nullable: true }) disabledReason!:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Every attempt failed since',
  })
  failingSince!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) secretRotatedAt!:
    string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until then the previous secret signs beside the current one',
  })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: () => SubscriptionLinksSchema }) links!: SubscriptionLinksSchema;
}

export class SubscriptionMutationResponse extends SubscriptionSchema {
  @ApiProperty({ type: [ProducedEventSchema], description: 'The events this mutation wrote' })
  events!: ProducedEventSchema[];
}

export class SubscriptionWithSecretResponse extends SubscriptionMutationResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6BkYqcEGBTM=',
    description: 'The signing secret, shown in this answer only (masked in idempotent replays)',
  })
  secret!: string;
}

export class SubscriptionPageResponse {
  @ApiProperty({ type: [SubscriptionSchema] }) data!: SubscriptionSchema[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SubscriptionSecretsResponse {
  @ApiProperty({ description: 'Signs every delivery' }) current!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Still signs during the rotation overlap',
  })
  previous!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) previousExpiresAt!:
    string | null;
}

export class SubscriptionDeletedResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: [true] }) deleted!: boolean;
  @ApiProperty({ type: [ProducedEventSchema] }) events!: ProducedEventSchema[];
}

export class EventTypeSchema {
  @ApiProperty({ example: 'incident.opened' }) type!: string;
  @ApiProperty({ example: 'IncidentOpened', description: 'The domain event it comes from' })
  source!: string;
  @ApiProperty() description!: string;
}

export class EventTypesResponse {
  @ApiProperty({ type: [EventTypeSchema] }) data!: EventTypeSchema[];
  @ApiPropertyOptional({ example: 'webhook.test', description: 'Sent only by the test endpoint' })
  testEventType?: string;
}
