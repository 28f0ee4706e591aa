import { ApiProperty } from '@nestjs/swagger';

import { DeepLinkSchema, EvidenceSchema } from '../http/graph-schemas';

class ServiceRefSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: () => DeepLinkSchema }) link!: DeepLinkSchema;
}

class ImpactedServiceRefSchema extends ServiceRefSchema {
  @ApiProperty({ type: Number, nullable: true }) tier!: number | null;
}

class TeamRefSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: () => DeepLinkSchema }) link!: DeepLinkSchema;
}

class OwnerSchema {
  @ApiProperty({ type: () => TeamRefSchema }) team!: TeamRefSchema;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}

class OnCallForSchema {
  @ApiProperty({ enum: ['service', 'team'] }) kind!: string;
  @ApiProperty() id!: string;
}

class OnCallPersonSchema {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

class OnCallContactSchema {
  @ApiProperty({ type: () => OnCallForSchema }) for!: OnCallForSchema;
  @ApiProperty({ type: () => OnCallPersonSchema }) person!: OnCallPersonSchema;
  @ApiProperty({ description: 'Where the answer came from, e.g. a schedule id' }) source!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) until!: string | null;
  @ApiProperty({ type: () => DeepLinkSchema, nullable: true }) link!: DeepLinkSchema | null;
}

class DependencyHopSchema {
  @ApiProperty({ description: 'The dependent service' }) from!: string;
  @ApiProperty({ description: 'The service it depends on' }) to!: string;
  @ApiProperty({ enum: ['depends_on'] }) relation!: string;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}

class OpenIncidentSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) severity!: string | null;
  @ApiProperty({ type: () => DeepLinkSchema }) link!: DeepLinkSchema;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}

class ImpactedServiceSchema {
  @ApiProperty({ type: () => ImpactedServiceRefSchema }) service!: ImpactedServiceRefSchema;
  @ApiProperty({ description: '1 = depends directly on the incident’s service' }) depth!: number;

  @ApiProperty({
    type: [String],
    description: 'From the incident’s service out to this one; each depends on the one before',
  })
  path!: string[];

  @ApiProperty({
    type: () => DependencyHopSchema,
    description: 'The dependency that brings it in (on the previous service of path)',
  })
  edge!: DependencyHopSchema;
  @ApiProperty({ type: [OwnerSchema] }) owners!: OwnerSchema[];
  @ApiProperty({ type: [OnCallContactSchema] }) onCall!: OnCallContactSchema[];
  @ApiProperty({ type: [OpenIncidentSchema] }) openIncidents!: OpenIncidentSchema[];
}

class BlastIncidentSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) severity!: string | null;
  @ApiProperty({ type: String, nullable: true }) service!: string | null;
  @ApiProperty({ type: () => DeepLinkSchema }) link!: DeepLinkSchema;
  @ApiProperty({ type: () => EvidenceSchema }) evidence!: EvidenceSchema;
}

class BlastOriginSchema {
  @ApiProperty({ type: () => ServiceRefSchema, nullable: true }) service!: ServiceRefSchema | null;
  @ApiProperty({ type: [OwnerSchema] }) owners!: OwnerSchema[];
  @ApiProperty({ type: [OnCallContactSchema] }) onCall!: OnCallContactSchema[];
}

export class BlastRadiusResponse {
  @ApiProperty({ type: () => BlastIncidentSchema }) incident!: BlastIncidentSchema;
  @ApiProperty({ type: () => BlastOriginSchema }) origin!: BlastOriginSchema;
  @ApiProperty() depthLimit!: number;
  @ApiProperty({ description: 'True when more dependents lie beyond depthLimit' })
  truncated!: boolean;
  @ApiProperty({ type: [ImpactedServiceSchema] }) impacted!: ImpactedServiceSchema[];
}
