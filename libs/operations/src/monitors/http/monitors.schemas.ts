import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

import { EVENTS, NEXT_CURSOR, ProducedEventSchema } from '../../shared/http-schemas';
import {
  AGGREGATIONS,
  ALERT_SEVERITIES,
  COMPARISONS,
  HTTP_DEFAULTS,
  HTTP_METHODS,
  MONITOR_KINDS,
  THRESHOLD_DEFAULTS,
} from '../domain';

/** OpenAPI schemas of the monitors API: settings per kind, credentials and answers. */

export class HttpCheckSettingsSchema {
  @ApiPropertyOptional({
    example: 'https://checkout.example.com/health',
    description: 'Required when creating',
  })
  url?: string;
  @ApiPropertyOptional({ enum: HTTP_METHODS, default: HTTP_DEFAULTS.method }) method?: string;
  @ApiPropertyOptional({
    type: [Number],
    default: [],
    description: 'Statuses that count as up; [] is any 2xx. Redirects are never followed.',
  })
  expectedStatus?: number[];
  @ApiPropertyOptional({ minimum: 100, maximum: 30_000, default: HTTP_DEFAULTS.timeoutMs })
  timeoutMs?: number;
  @ApiPropertyOptional({ minimum: 10, maximum: 86_400, default: HTTP_DEFAULTS.intervalSeconds })
  intervalSeconds?: number;
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10,
    default: HTTP_DEFAULTS.alertAfterFailures,
    description: 'Consecutive failures before the alert triggers',
  })
  alertAfterFailures?: number;
  @ApiPropertyOptional({ enum: ALERT_SEVERITIES, default: HTTP_DEFAULTS.severity })
  severity?: string;
}

export class ThresholdSettingsSchema {
  @ApiPropertyOptional({ example: 'latency_p99_ms', description: 'Required when creating' })
  metric?: string;
  @ApiPropertyOptional({ enum: AGGREGATIONS, default: THRESHOLD_DEFAULTS.aggregation })
  aggregation?: string;
  @ApiPropertyOptional({ minimum: 10, maximum: 86_400, default: THRESHOLD_DEFAULTS.windowSeconds })
  windowSeconds?: number;
  @ApiPropertyOptional({
    enum: COMPARISONS,
    description: 'Required when creating; gt: alert above the threshold',
  })
  operator?: string;
  @ApiPropertyOptional({ example: 800, description: 'Required when creating' })
  threshold?: number;
  @ApiPropertyOptional({
    minimum: 10,
    maximum: 86_400,
    default: THRESHOLD_DEFAULTS.intervalSeconds,
  })
  intervalSeconds?: number;
  @ApiPropertyOptional({ enum: ALERT_SEVERITIES, default: THRESHOLD_DEFAULTS.severity })
  severity?: string;
}

export class MonitorCredentialsSchema {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Authorization: 'Bearer …' },
    description: 'Header names to values; at most 20',
  })
  headers!: Record<string, string>;
}

export const SETTINGS_SCHEMA = {
  anyOf: [
    { $ref: getSchemaPath(HttpCheckSettingsSchema) },
    { $ref: getSchemaPath(ThresholdSettingsSchema) },
  ],
};

export class MonitorCredentialsStateSchema {
  @ApiProperty() set!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt!: string | null;
}

export class MonitorHealthSchema {
  @ApiProperty({ enum: ['pending', 'up', 'down', 'no_data', 'error'] }) state!: string;
  @ApiProperty({ description: 'True while its alert keeps an incident open' }) alerting!: boolean;
  @ApiProperty() consecutiveFailures!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastCheckedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) nextCheckAt!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'What the last check saw (status, latency, value, error)',
  })
  lastResult!: Record<string, unknown> | null;
}

export class MonitorSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() service!: string;
  @ApiProperty({ enum: MONITOR_KINDS }) kind!: string;
  @ApiProperty(SETTINGS_SCHEMA) settings!: Record<string, unknown>;
  @ApiProperty({ enum: ['active', 'paused'] }) status!: string;
  @ApiProperty({
    type: MonitorCredentialsStateSchema,
    description: 'Only whether credentials are set; never their value, to any token',
  })
  credentials!: MonitorCredentialsStateSchema;
  @ApiProperty({ type: MonitorHealthSchema }) health!: MonitorHealthSchema;
}

export class MonitorMutationResponse extends MonitorSchema {
  @ApiProperty(EVENTS) events!: ProducedEventSchema[];
}

export class MonitorPageSchema {
  @ApiProperty({ type: [MonitorSchema] }) data!: MonitorSchema[];
  @ApiProperty(NEXT_CURSOR) nextCursor!: string | null;
}

export class MetricsAcceptedSchema {
  @ApiProperty() accepted!: number;
  @ApiProperty(EVENTS) events!: ProducedEventSchema[];
}
