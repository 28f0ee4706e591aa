import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { SecurityEventIngestion } from './security-event-ingestion';
import { IngestionReceiptSchema, IngestSecurityEventsRequest } from './security-events.requests';

@ApiTags('siem')
@Controller('api/v1/siem/events')
export class SecurityEventsController {
  constructor(private readonly ingestion: SecurityEventIngestion) {}

  @Post()
  @RequireScope('siem:write')
  @ApiOperation({
    operationId: 'ingestSecurityEvents',
    summary: 'Send a batch of security events for detection',
    description:
      'The batch is recorded whole or not at all, then evaluated by the detector against every ' +
      'active rule within seconds. A match, or a threshold crossed in its timeframe, writes ' +
      'DetectionTriggered and opens a security incident with the matching events as evidence. ' +
      'An invalid event is a 400 naming it; nothing is written.',
  })
  @ApiCreatedResponse({ type: IngestionReceiptSchema })
  ingest(@Body() body: IngestSecurityEventsRequest) {
    return this.ingestion.ingest(body.events);
  }
}
