import { ApiProperty } from '@nestjs/swagger';

import { EVENTS, NEXT_CURSOR, ProducedEventSchema } from '../../shared/http-schemas';
import { EscalationLevelRequest } from './escalation-policies.requests';

/** OpenAPI schemas of the escalation policies API's answers. */

export class EscalationLevelSchema extends EscalationLevelRequest {}

export class EscalationPolicySchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [EscalationLevelSchema], description: 'Level 0 is paged first' })
  levels!: EscalationLevelSchema[];
  @ApiProperty({ description: 'Extra rounds of the ladder after the last level' }) repeat!: number;
  @ApiProperty({ type: [String], description: 'Services that follow this policy' })
  services!: string[];
}

export class EscalationPolicyMutationResponse extends EscalationPolicySchema {
  @ApiProperty(EVENTS) events!: ProducedEventSchema[];
}

export class EscalationPolicyPageSchema {
  @ApiProperty({ type: [EscalationPolicySchema] }) data!: EscalationPolicySchema[];
  @ApiProperty(NEXT_CURSOR) nextCursor!: string | null;
}
