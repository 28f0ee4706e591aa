import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { IncidentSchema, IncidentEventRefSchema } from '../http/incident-schemas';
import { toLinks } from '../http/incident-link.request';
import { AlertEventRequest } from './alert-event.request';
import { AlertIngestion } from './alert-ingestion';

class SuppressedBySchema {
  @ApiProperty({ example: 'maintenance' }) kind!: string;
  @ApiProperty() id!: string;
}

class SuppressionSchema {
  @ApiProperty() reason!: string;
  @ApiProperty({ type: () => SuppressedBySchema, nullable: true })
  suppressedBy!: SuppressedBySchema | null;
}

export class AlertAcceptedResponse {
  @ApiProperty({
    enum: ['opened', 'appended', 'acknowledged', 'resolved', 'unchanged', 'suppressed'],
    description:
      'opened: a new incident; appended: the alert joined the open incident of its dedup key; ' +
      'unchanged: nothing to do (e.g. resolving a resolved incident); suppressed: a policy ' +
      '(maintenance) held it back',
  })
  outcome!: string;

  @ApiProperty() service!: string;
  @ApiProperty({ description: 'The dedup key, generated when a trigger had none' })
  dedupKey!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) incidentId!: string | null;
  @ApiProperty({ type: () => IncidentSchema, nullable: true }) incident!: IncidentSchema | null;
  @ApiProperty({ type: () => SuppressionSchema, nullable: true })
  suppression!: SuppressionSchema | null;
  @ApiProperty({ type: [IncidentEventRefSchema] }) events!: IncidentEventRefSchema[];
}

@ApiTags('alerts')
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertIngestion) {}

  @Post()
  @HttpCode(202)
  @RequireScope('alerts:write')
  @ApiOperation({
    operationId: 'sendAlertEvent',
    summary: 'Send an alert event (trigger, acknowledge, resolve)',
    description:
      'Like PagerDuty’s Events API v2. A trigger with a new dedup key opens an incident; with ' +
      'the key of an open incident it adds the alert to it. acknowledge and resolve act on the ' +
      'incident of the key; on a resolved one they change nothing. Unknown service: 404. ' +
      'Malformed or oversized: 400, nothing written.',
  })
  @ApiAcceptedResponse({ type: AlertAcceptedResponse })
  send(@Body() body: AlertEventRequest) {
    return this.alerts.ingest({
      service: body.service,
      action: body.action,
      dedupKey: body.dedupKey ?? null,
      summary: body.summary ?? null,
      severity: body.severity ?? null,
      source: body.source ?? null,
      links: toLinks(body.links),
      details: body.details ?? null,
    });
  }
}
