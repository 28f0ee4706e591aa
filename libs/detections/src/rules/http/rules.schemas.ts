import { ApiProperty } from '@nestjs/swagger';

import { SIGMA_LEVELS } from '../../sigma';
import { RULE_STATUSES } from '../domain/detection-rule';

/** OpenAPI schemas of the detection catalog's answers. */

export class ActorSchema {
  @ApiProperty({ enum: ['agent', 'user', 'system'] }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) tokenId!: string | null;
}

export class ChangedBySchema {
  @ApiProperty({ format: 'uuid', description: 'The event that recorded the change' })
  eventId!: string;
  @ApiProperty({ type: () => ActorSchema }) actor!: ActorSchema;
  @ApiProperty({ type: String, nullable: true, description: 'X-Agent-Id of the request' })
  agentId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'X-Conversation-Id of the request' })
  conversationId!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class MitreSchema {
  @ApiProperty({ type: [String], example: ['credential_access'] }) tactics!: string[];
  @ApiProperty({ type: [String], example: ['T1110.003'] }) techniques!: string[];
}

export class RuleUrlsSchema {
  @ApiProperty() self!: string;
  @ApiProperty() versions!: string;
  @ApiProperty() detections!: string;
}

export class RuleSummarySchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: RULE_STATUSES }) status!: string;
  @ApiProperty({ description: 'Current version, from 1' }) version!: number;
  @ApiProperty({ enum: SIGMA_LEVELS }) level!: string;
  @ApiProperty({ enum: ['critical', 'error', 'warning', 'info'] }) severity!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The Sigma status field' })
  sigmaStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) author!: string | null;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: () => MitreSchema }) mitre!: MitreSchema;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  logsource!: Record<string, string>;
  @ApiProperty({ example: 'selection | count(user.name) by source.ip > 10' }) condition!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) disabledAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) disabledReason!: string | null;
  @ApiProperty({ type: () => ChangedBySchema }) publishedBy!: ChangedBySchema;
  @ApiProperty({ type: () => ChangedBySchema }) lastChangedBy!: ChangedBySchema;
  @ApiProperty({ type: () => RuleUrlsSchema }) urls!: RuleUrlsSchema;
}

export class RuleVersionSchema {
  @ApiProperty() version!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: SIGMA_LEVELS }) level!: string;
  @ApiProperty() condition!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ description: 'The Sigma YAML of this version' }) source!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ type: () => ChangedBySchema }) by!: ChangedBySchema;
}

export class RuleDetailSchema extends RuleSummarySchema {
  @ApiProperty({ description: 'The Sigma YAML of the current version' }) source!: string;
  @ApiProperty({ type: [RuleVersionSchema], description: 'Every version, oldest first' })
  versions!: RuleVersionSchema[];
}

export class RuleChangeEventSchema {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'RulePublished' }) type!: string;
  @ApiProperty() position!: string;
}

export class RuleMutationResponse extends RuleDetailSchema {
  @ApiProperty({
    type: [RuleChangeEventSchema],
    description: 'The events this mutation wrote; empty when nothing changed',
  })
  events!: RuleChangeEventSchema[];
}

export class RuleListResponse {
  @ApiProperty({ type: [RuleSummarySchema] }) data!: RuleSummarySchema[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RuleVersionListResponse {
  @ApiProperty({ type: [RuleVersionSchema] }) data!: RuleVersionSchema[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: one page' })
  nextCursor!: string | null;
}
