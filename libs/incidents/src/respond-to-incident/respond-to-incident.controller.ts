import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { IncidentMutationResponse } from '../http/incident-schemas';
import { toLinks } from '../http/incident-link.request';
import { IncidentCommands } from '../incident-commands';
import {
  AcknowledgeIncidentRequest,
  AssignIncidentRequest,
  ChangeSeverityRequest,
  PostIncidentUpdateRequest,
  ResolveIncidentRequest,
} from './respond-to-incident.requests';

/** What a responder (a person or an agent) does to an open incident. */
@ApiTags('incidents')
@Controller('api/v1/incidents/:id')
export class RespondToIncidentController {
  constructor(private readonly incidents: IncidentCommands) {}

  @Post('acknowledge')
  @HttpCode(200)
  @RequireScope('incidents:write')
  @ApiOperation({
    operationId: 'acknowledgeIncident',
    summary: 'Acknowledge an incident',
    description:
      'Writes IncidentAcknowledged. Acknowledging again answers with the current state and ' +
      'writes nothing (`events: []`); a resolved incident answers 409 with its state.',
  })
  @ApiOkResponse({ type: IncidentMutationResponse })
  acknowledge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AcknowledgeIncidentRequest,
  ) {
    return this.incidents.acknowledge(id, { note: body.note ?? null });
  }

  @Post('resolve')
  @HttpCode(200)
  @RequireScope('incidents:write')
  @ApiOperation({
    operationId: 'resolveIncident',
    summary: 'Resolve an incident with a note',
    description:
      'Writes IncidentResolved; the note says what fixed it (the analyst shows it for similar ' +
      'incidents later). Resolving a resolved incident answers 409.',
  })
  @ApiOkResponse({ type: IncidentMutationResponse })
  resolve(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: ResolveIncidentRequest) {
    return this.incidents.resolve(id, { note: body.note });
  }

  @Post('updates')
  @RequireScope('incidents:write')
  @ApiOperation({
    operationId: 'postIncidentUpdate',
    summary: 'Post a status update to an incident',
    description: 'Writes IncidentUpdatePosted; allowed after resolution too (follow-ups).',
  })
  @ApiCreatedResponse({ type: IncidentMutationResponse })
  postUpdate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: PostIncidentUpdateRequest,
  ) {
    return this.incidents.postUpdate(id, { message: body.message, links: toLinks(body.links) });
  }

  @Post('severity')
  @HttpCode(200)
  @RequireScope('incidents:write')
  @ApiOperation({
    operationId: 'changeIncidentSeverity',
    summary: 'Change the severity of an incident',
    description:
      'Writes IncidentSeverityChanged with the old and new severity; the same severity writes ' +
      'nothing. A resolved incident answers 409.',
  })
  @ApiOkResponse({ type: IncidentMutationResponse })
  changeSeverity(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ChangeSeverityRequest,
  ) {
    return this.incidents.changeSeverity(id, {
      severity: body.severity,
      reason: body.reason ?? null,
    });
  }

  @Post('assign')
  @HttpCode(200)
  @RequireScope('incidents:write')
  @ApiOperation({
    operationId: 'assignIncident',
    summary: 'Assign an incident to a person',
    description:
      'Writes IncidentAssigned; assigning the same person again writes nothing. A resolved ' +
      'incident answers 409.',
  })
  @ApiOkResponse({ type: IncidentMutationResponse })
  assign(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: AssignIncidentRequest) {
    return this.incidents.assign(id, { assignee: body.assignee });
  }
}
