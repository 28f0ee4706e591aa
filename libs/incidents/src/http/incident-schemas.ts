import { ApiProperty } from '@nestjs/swagger';

import { INCIDENT_KINDS, INCIDENT_STATUSES, SEVERITIES } from '../domain/incident';

/** OpenAPI schemas of the incidents API's answers. */

export class IncidentLinkSchema {
  @ApiProperty() href!: string;
  @ApiProperty({ type: String, nullable: true }) text!: string | null;
}

export class IncidentUpdateSchema {
  @ApiProperty() message!: string;
  @ApiProperty({ type: [IncidentLinkSchema] }) links!: IncidentLinkSchema[];
  @ApiProperty({ format: 'date-time' }) postedAt!: string;
}

export class IncidentUrlsSchema {
  @ApiProperty({ example: '/api/v1/incidents/0b8a3f52-6f0e-4c2a-9d47-2f1c9e1d7a10' }) self!: string;
  @ApiProperty({ example: '/incidents/0b8a3f52-6f0e-4c2a-9d47-2f1c9e1d7a10' }) product!: string;
  @ApiProperty() timeline!: string;
  @ApiProperty() analysis!: string;
  @ApiProperty() blastRadius!: string;
}

export class IncidentSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: INCIDENT_KINDS }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) summary!: string | null;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ type: String, nullable: true }) service!: string | null;
  @ApiProperty({ type: String, nullable: true }) assignee!: string | null;
  @ApiProperty() alertCount!: number;
  @ApiProperty({ type: String, nullable: true }) dedupKey!: string | null;
  @ApiProperty({ type: String, nullable: true }) source!: string | null;
  @ApiProperty({ type: [IncidentLinkSchema] }) links!: IncidentLinkSchema[];
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) acknowledgedAt!:
    string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) resolvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) resolutionNote!: string | null;
  @ApiProperty({ type: () => IncidentUpdateSchema, nullable: true })
  lastUpdate!: IncidentUpdateSchema | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) analyzedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Sequence of the latest event (1, 2, 3…)' }) sequence!: number;
  @ApiProperty({ type: () => IncidentUrlsSchema }) urls!: IncidentUrlsSchema;
}

export class OnCallPersonSchema {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

export class OnCallContactSchema {
  @ApiProperty({ description: 'The service or team the contact answers for' })
  for!: { kind: string; id: string };
  @ApiProperty({ type: () => OnCallPersonSchema }) person!: OnCallPersonSchema;
  @ApiProperty({ description: 'Where the answer came from, e.g. a schedule id' }) source!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) until!: string | null;
}

export class IncidentDetailSchema extends IncidentSchema {
  @ApiProperty({
    type: [OnCallContactSchema],
    description: 'Who is on call now for the incident’s service (empty when nobody is known)',
  })
  onCall!: OnCallContactSchema[];
}

export class IncidentEventRefSchema {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'IncidentAcknowledged' }) type!: string;
  @ApiProperty() position!: string;
}

export class IncidentMutationResponse extends IncidentSchema {
  @ApiProperty({
    type: [IncidentEventRefSchema],
    description: 'The events this mutation wrote; empty when nothing changed',
  })
  events!: IncidentEventRefSchema[];
}

export class IncidentListResponse {
  @ApiProperty({ type: [IncidentSchema] }) data!: IncidentSchema[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class TimelineActorSchema {
  @ApiProperty({ enum: ['agent', 'user', 'system'] }) kind!: string;
  @ApiProperty({ required: false }) tokenId?: string;
  @ApiProperty({ required: false }) name?: string;
}

export class TimelineEntrySchema {
  @ApiProperty() sequence!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'IncidentAcknowledged' }) type!: string;
  @ApiProperty() position!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: () => TimelineActorSchema }) actor!: TimelineActorSchema;
  @ApiProperty({ type: String, nullable: true }) agentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) conversationId!: string | null;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ type: String, nullable: true }) causationId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Secrets redacted' })
  data!: Record<string, unknown>;
}

export class TimelineResponse {
  @ApiProperty({ type: [TimelineEntrySchema] }) data!: TimelineEntrySchema[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
