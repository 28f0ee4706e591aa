import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

/** An event a mutation wrote, so an agent can cite its own action. */
export class ProducedEventSchema {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'MaintenanceScheduled' }) type!: string;
  @ApiProperty({ description: 'Opaque position in the global stream' }) position!: string;
}

export const NEXT_CURSOR: ApiPropertyOptions = {
  type: String,
  nullable: true,
  description: 'Pass as ?cursor= for the next page; null on the last page',
};

export const EVENTS: ApiPropertyOptions = {
  type: [ProducedEventSchema],
  description: 'The events this change wrote; empty when it changed nothing',
};
