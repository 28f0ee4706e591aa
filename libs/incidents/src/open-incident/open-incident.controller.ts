import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { IncidentMutationResponse } from '../http/incident-schemas';
import { toLinks } from '../http/incident-link.request';
import { IncidentCommands } from '../incident-commands';
import { OpenIncidentRequest } from './open-incident.request';

@ApiTags('incidents')
@Controller('api/v1/incidents')
export class OpenIncidentController {
  constructor(private readonly incidents: IncidentCommands) {}

  @Post()
  @RequireScope('incidents:write')
  @ApiOperation({
    operationId: 'openIncident',
    summary: 'Open an incident by hand',
    description:
      'Writes IncidentOpened. The service must be registered in the context graph (404 ' +
      'otherwise). The analyst then adds its verdict (GET …/analysis).',
  })
  @ApiCreatedResponse({ type: IncidentMutationResponse })
  open(@Body() body: OpenIncidentRequest) {
    return this.incidents.open({
      title: body.title,
      severity: body.severity,
      service: body.service ?? null,
      kind: body.kind,
      summary: body.summary ?? null,
      dedupKey: body.dedupKey ?? null,
      links: toLinks(body.links),
      details: body.details ?? null,
    });
  }
}
