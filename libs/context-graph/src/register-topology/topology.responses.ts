import { ApiProperty } from '@nestjs/swagger';

import { MutationSchema } from '../http/graph-schemas';

export class TeamMemberSchema {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

export class TeamRegisteredResponse extends MutationSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [TeamMemberSchema] }) members!: TeamMemberSchema[];
}

export class ServiceRegisteredResponse extends MutationSchema {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() ownerTeam!: string;
  @ApiProperty() tier!: number;
  @ApiProperty({ type: [String] }) dependsOn!: string[];
}

export class DependencyDeclaredResponse extends MutationSchema {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
}

export class DeploymentRecordedResponse extends MutationSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() service!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) link!: string | null;
}
