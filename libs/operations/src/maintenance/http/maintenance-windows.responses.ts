import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

import { EVENTS, NEXT_CURSOR, ProducedEventSchema } from '../../shared/http-schemas';

const PHASES = ['upcoming', 'in_progress', 'over', 'cancelled'];
const NULLABLE_TIME: ApiPropertyOptions = { type: String, nullable: true, format: 'date-time' };

/** OpenAPI schemas of the maintenance API's answers. */

export class MaintenanceWindowSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: [String], example: ['checkout-api'] }) services!: string[];
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When it ended, once ended early' })
  endsAt!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: PHASES, description: 'Where the window stands now' }) status!: string;
  @ApiProperty(NULLABLE_TIME) endedAt!: string | null;
  @ApiProperty(NULLABLE_TIME) cancelledAt!: string | null;
  @ApiProperty({ description: 'Alerts muted by this window so far' }) suppressedAlertCount!: number;
}

export class MaintenanceWindowMutationResponse extends MaintenanceWindowSchema {
  @ApiProperty(EVENTS) events!: ProducedEventSchema[];
}

export class SuppressedAlertSchema {
  @ApiProperty({ format: 'uuid', description: 'The AlertSuppressed event' }) eventId!: string;
  @ApiProperty({ type: [String], description: 'Every window that covered the service then' })
  windowIds!: string[];
  @ApiProperty() service!: string;
  @ApiProperty({ type: String, nullable: true }) dedupKey!: string | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: String, nullable: true }) severity!: string | null;
  @ApiProperty({ type: String, nullable: true }) source!: string | null;
  @ApiProperty({ format: 'date-time' }) suppressedAt!: string;
}

export class MaintenanceWindowDetailSchema extends MaintenanceWindowSchema {
  @ApiProperty({ type: [SuppressedAlertSchema], description: 'The latest 20; page through all' })
  suppressedAlerts!: SuppressedAlertSchema[];
}

export class MaintenanceWindowPageSchema {
  @ApiProperty({ type: [MaintenanceWindowSchema] }) data!: MaintenanceWindowSchema[];
  @ApiProperty(NEXT_CURSOR) nextCursor!: string | null;
}

export class SuppressedAlertPageSchema {
  @ApiProperty({ type: [SuppressedAlertSchema] }) data!: SuppressedAlertSchema[];
  @ApiProperty(NEXT_CURSOR) nextCursor!: string | null;
}
