import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

import { RequireScope } from '@observe/access';
import { OnCallLookup, ServiceDirectory, SLUG, SLUG_DESCRIPTION } from '@observe/context-graph';
import { Clock } from '@observe/core';

import {
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  IncidentKind,
  IncidentStatus,
  SEVERITIES,
  Severity,
} from '../domain/incident';
import {
  IncidentDetailSchema,
  IncidentListResponse,
  TimelineResponse,
} from '../http/incident-schemas';
import { IncidentReader } from './incident-reader';
import { IncidentTimeline } from './incident-timeline';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export class ListIncidentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;

  @ApiPropertyOptional({ example: 'checkout' })
  @IsOptional()
  @Matches(SLUG, { message: `must be ${SLUG_DESCRIPTION}` })
  service?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ enum: INCIDENT_KINDS })
  @IsOptional()
  @IsIn(INCIDENT_KINDS)
  kind?: IncidentKind;

  @ApiPropertyOptional({ format: 'date-time', description: 'Opened at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

@ApiTags('incidents')
@Controller('api/v1/incidents')
export class QueryIncidentsController {
  constructor(
    private readonly reader: IncidentReader,
    private readonly timeline: IncidentTimeline,
    private readonly onCall: OnCallLookup,
    private readonly services: ServiceDirectory,
    private readonly clock: Clock,
  ) {}

  @Get()
  @RequireScope('incidents:read')
  @ApiOperation({
    operationId: 'listIncidents',
    summary: 'List incidents, newest first',
    description:
      'Filter by status, service, severity, kind and `since` (opened at or after). Page with ' +
      '`limit` and the `nextCursor` of the previous answer.',
  })
  @ApiOkResponse({ type: IncidentListResponse })
  list(@Query() query: ListIncidentsQuery) {
    return this.reader.list({ ...query, limit: query.limit ?? 50 });
  }

  @Get(':id')
  @RequireScope('incidents:read')
  @ApiOperation({
    operationId: 'getIncident',
    summary: 'Read an incident',
    description:
      'Status, severity, service, assignee, alert count, timestamps, links, kind, and URLs of ' +
      'its timeline, analysis and blast radius.',
  })
  @ApiOkResponse({ type: IncidentDetailSchema })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const incident = await this.reader.get(id);
    return { ...incident, onCall: await this.onCallFor(incident.service) };
  }

  /** Who is on call now for the service and its owning team, as the schedules say. */
  private async onCallFor(serviceId: string | null) {
    if (!serviceId) return [];

    const service = await this.services.find(serviceId);
    const contacts = await this.onCall.contactsFor({
      services: [serviceId],
      teams: service ? [service.ownerTeam] : [],
      at: this.clock.now(),
    });
    return contacts.map(({ for: subject, person, source, until }) => ({
      for: subject,
      person,
      source,
      until,
    }));
  }

  @Get(':id/timeline')
  @RequireScope('incidents:read')
  @ApiOperation({
    operationId: 'getIncidentTimeline',
    summary: "Read an incident's timeline from its event stream",
    description:
      'Every event of the incident in order, with the actor, agent and conversation ids that ' +
      'caused it; secrets redacted.',
  })
  @ApiOkResponse({ type: TimelineResponse })
  readTimeline(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQuery) {
    return this.timeline.read(id, { limit: query.limit ?? 50, cursor: query.cursor });
  }
}
