import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI schemas shared by the context graph's answers. */

export class DeepLinkSchema {
  @ApiProperty({ example: '/api/v1/context/services/payments-api', description: 'Answers 200' })
  api!: string;

  @ApiProperty({ example: '/services/payments-api' })
  product!: string;
}

export class EvidenceActorSchema {
  @ApiProperty({ enum: ['agent', 'user', 'system'] }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) tokenId!: string | null;
}

export class EvidenceSchema {
  @ApiProperty({ format: 'uuid', description: 'The event the fact came from' })
  eventId!: string;

  @ApiProperty({ example: 'DependencyDeclared' }) eventType!: string;
  @ApiProperty({ example: 'service-checkout' }) stream!: string;
  @ApiProperty({ description: 'Global position of the event (opaque)' }) position!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: () => EvidenceActorSchema }) actor!: EvidenceActorSchema;
  @ApiProperty({ type: String, nullable: true }) agentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) conversationId!: string | null;
  @ApiProperty({ type: () => DeepLinkSchema }) link!: DeepLinkSchema;
}

export class ContextEventRefSchema {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'ServiceRegistered' }) type!: string;
  @ApiProperty() position!: string;
}

export class MutationSchema {
  @ApiProperty({ type: [ContextEventRefSchema], description: 'The events this mutation wrote' })
  events!: ContextEventRefSchema[];
}
