import { ApiProperty } from '@nestjs/swagger';

import { DeepLinkSchema, EvidenceSchema } from '../http/graph-schemas';

export class ServiceNodeSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() tier!: number;
  @ApiProperty() ownerTeam!: string;
  @ApiProperty({ type: () => DeepLinkSchema }) link!: DeepLinkSchema;
  @ApiProperty({ type: () => EvidenceSchema, description: 'The latest registration' })
  evidence!: EvidenceSchema;
}

export class NeighbourNodeSchema {
  @ApiProperty({ enum: ['service', 'team', 'person', 'deployment', 'incident', 'monitor'] })
  kind!: string;

  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes!: Record<string, unknown>;
  @ApiProperty({ type: () => DeepLinkSchema, nullable: true }) link!: DeepLinkSchema | null;
}

export class NeighbourSchema {
  @ApiProperty({ enum: ['owns', 'member_of', 'depends_on', 'deployed_to', 'affects'] })
  relation!: string;

  @ApiProperty({
    enum: ['outgoing', 'incoming'],
    description: 'outgoing: this service → node; incoming: node → this service',
  })
  direction!: string;

  @ApiProperty({ type: () => NeighbourNodeSchema }) node!: NeighbourNodeSchema;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}

export class ServiceContextResponse {
  @ApiProperty({ type: () => ServiceNodeSchema }) service!: ServiceNodeSchema;

  @ApiProperty({
    type: [NeighbourSchema],
    description: 'Owner, dependencies, dependents, the 10 latest deployments and open incidents',
  })
  neighbours!: NeighbourSchema[];
}

export class ServiceListResponse {
  @ApiProperty({ type: [ServiceNodeSchema] }) data!: ServiceNodeSchema[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

class TeamNodeSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: () => DeepLinkSchema }) link!: DeepLinkSchema;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}

class TeamMemberNodeSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}

class OwnedServiceSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: () => DeepLinkSchema }) link!: DeepLinkSchema;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}

export class TeamContextResponse {
  @ApiProperty({ type: () => TeamNodeSchema }) team!: TeamNodeSchema;
  @ApiProperty({ type: [TeamMemberNodeSchema] }) members!: TeamMemberNodeSchema[];
  @ApiProperty({ type: [OwnedServiceSchema] }) services!: OwnedServiceSchema[];
}

export class DeploymentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() service!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) link!: string | null;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}
