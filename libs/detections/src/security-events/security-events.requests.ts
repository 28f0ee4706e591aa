import { ApiProperty } from '@nestjs/swagger';
import { IsArray } from 'class-validator';

export class IngestSecurityEventsRequest {
  @ApiProperty({
    description:
      'Security events as JSON objects (ECS field names work well: event.action, source.ip, ' +
      'user.name). `@timestamp` (ISO-8601 or epoch ms) is when it happened; absent means ' +
      'when received. At most 64 KiB each; the batch size is bounded (1000 by default).',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [
      {
        '@timestamp': '2026-03-01T12:00:00Z',
        'event.action': 'login_failed',
        source: { ip: '203.0.113.7' },
        user: { name: 'root' },
      },
    ],
  })
  @IsArray()
  events!: unknown[];
}

export class IngestionReceiptSchema {
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty() accepted!: number;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: [String], description: 'The id of each event, in the order sent' })
  ids!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Always empty: raw security events are not domain events',
  })
  events!: unknown[];
}
