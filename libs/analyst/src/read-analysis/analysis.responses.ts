import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class EvidenceLinkSchema {
  @ApiProperty({ description: 'Answers 200' }) api!: string;
  @ApiProperty() product!: string;
}

class AnalysisEvidenceSchema {
  @ApiProperty({ enum: ['deployment', 'incident', 'alert', 'dependency', 'service'] })
  kind!: string;
  @ApiProperty() id!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: () => EvidenceLinkSchema }) link!: EvidenceLinkSchema;
  @ApiProperty({ type: String, nullable: true }) eventId!: string | null;
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) at!: string | null;
}

class ProbableCauseSchema {
  @ApiProperty() rank!: number;
  @ApiProperty({
    enum: ['deployment', 'upstream_incident', 'recurring_issue', 'ongoing_service_issue'],
  })
  kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence!: number;
  @ApiProperty({ type: [AnalysisEvidenceSchema] }) evidence!: AnalysisEvidenceSchema[];
}

class SuggestedActionSchema {
  @ApiProperty() action!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: () => EvidenceLinkSchema, nullable: true }) link!: EvidenceLinkSchema | null;
}

class SimilarIncidentSchema {
  @ApiProperty({ format: 'uuid' }) incidentId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) resolvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) resolutionNote!: string | null;
  @ApiProperty({ type: () => EvidenceLinkSchema }) link!: EvidenceLinkSchema;
}

class AnalystSchema {
  @ApiProperty({ example: 'rule-based' }) name!: string;
  @ApiProperty({ example: '1.0.0' }) version!: string;
}

export class AnalysisResponse {
  @ApiProperty({
    enum: ['pending', 'complete', 'failed'],
    description: 'pending until the analyst has written IncidentAnalyzed',
  })
  status!: string;

  @ApiProperty({ format: 'uuid' }) incidentId!: string;
  @ApiPropertyOptional({ format: 'date-time' }) analyzedAt?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The IncidentAnalyzed event' })
  eventId?: string;
  @ApiPropertyOptional() position?: string;
  @ApiPropertyOptional() summary?: string;
  @ApiPropertyOptional({ type: [ProbableCauseSchema], description: 'Most likely first' })
  probableCauses?: ProbableCauseSchema[];
  @ApiPropertyOptional({ type: [SuggestedActionSchema] })
  suggestedActions?: SuggestedActionSchema[];
  @ApiPropertyOptional({ type: [SimilarIncidentSchema] })
  similarIncidents?: SimilarIncidentSchema[];
  @ApiPropertyOptional({ type: () => AnalystSchema }) analyst?: AnalystSchema;
  @ApiPropertyOptional() lookbackMinutes?: number;
  @ApiPropertyOptional({ type: String, nullable: true }) failure?: string | null;
}
