import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { EVENTS, NEXT_CURSOR, ProducedEventSchema } from '../../shared/http-schemas';
import { ScheduleLayerRequest } from './on-call.requests';

/** OpenAPI schemas of the on-call API's answers. */

export class ScheduleLayerSchema extends ScheduleLayerRequest {}

export class OnCallOverrideSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() person!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Its cancellation, when cancelled running' })
  endsAt!: string;
}

export class OnCallScheduleSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'America/New_York' }) timeZone!: string;
  @ApiProperty({ type: String, nullable: true }) teamId!: string | null;
  @ApiProperty({ type: [ScheduleLayerSchema], description: 'Lowest precedence first' })
  layers!: ScheduleLayerSchema[];
  @ApiProperty({ type: [OnCallOverrideSchema] }) overrides!: OnCallOverrideSchema[];
}

export class OnCallScheduleMutationResponse extends OnCallScheduleSchema {
  @ApiProperty(EVENTS) events!: ProducedEventSchema[];
}

export class OnCallOverrideMutationResponse extends OnCallOverrideSchema {
  @ApiProperty({ format: 'uuid' }) scheduleId!: string;
  @ApiProperty(EVENTS) events!: ProducedEventSchema[];
}

export class OnCallSchedulePageSchema {
  @ApiProperty({ type: [OnCallScheduleSchema] }) data!: OnCallScheduleSchema[];
  @ApiProperty(NEXT_CURSOR) nextCursor!: string | null;
}

export class OnCallShiftSchema {
  @ApiProperty() personId!: string;
  @ApiProperty({ enum: ['override', 'layer'] }) source!: string;
  @ApiPropertyOptional({ description: 'The layer, for a layer shift' }) layer?: string;
  @ApiPropertyOptional({ description: 'The override, for an override shift' })
  overrideId?: string;
  @ApiProperty({ format: 'date-time' }) shiftStart!: string;
  @ApiProperty({ format: 'date-time' }) shiftEnd!: string;
}

export class ScheduleOnCallSchema {
  @ApiProperty({ format: 'uuid' }) scheduleId!: string;
  @ApiProperty() scheduleName!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: OnCallShiftSchema, nullable: true, description: 'Null: nobody' })
  onCall!: OnCallShiftSchema | null;
}

export class TeamOnCallSchema {
  @ApiProperty() teamId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: [ScheduleOnCallSchema] }) schedules!: ScheduleOnCallSchema[];
  @ApiProperty({ type: [String], description: 'Everyone on call for the team, each once' })
  people!: string[];
}

export class OnCallShiftsSchema {
  @ApiProperty({ type: [OnCallShiftSchema] }) data!: OnCallShiftSchema[];
}
