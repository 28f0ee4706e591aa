import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { DEFAULT_PAGE_SIZE } from '../../shared/list-page';
import { UuidParamPipe } from '../../shared/uuid-param.pipe';
import { MonitorCommandsHandler } from '../manage-monitors/monitor-commands.handler';
import { MonitorQueries } from '../read-model/monitor.queries';
import {
  CreateMonitorRequest,
  ListMonitorsQuery,
  PauseMonitorRequest,
  TuneMonitorRequest,
} from './monitors.requests';
import {
  HttpCheckSettingsSchema,
  MonitorMutationResponse,
  MonitorPageSchema,
  MonitorSchema,
  ThresholdSettingsSchema,
} from './monitors.schemas';

const monitorId = new UuidParamPipe();

@ApiTags('monitors')
@ApiExtraModels(HttpCheckSettingsSchema, ThresholdSettingsSchema)
@Controller('api/v1/monitors')
export class MonitorsController {
  constructor(
    private readonly commands: MonitorCommandsHandler,
    private readonly queries: MonitorQueries,
  ) {}

  @Post()
  @RequireScope('monitors:write')
  @ApiOperation({
    operationId: 'createMonitor',
    summary: 'Create a monitor',
    description:
      'An http check or a threshold on ingested metric points. A failing monitor raises an ' +
      'alert on its service (dedup key monitor-<id>), so dedup, maintenance and incidents apply; ' +
      'recovery resolves it. Credentials are write-only.',
  })
  @ApiCreatedResponse({ type: MonitorMutationResponse, description: 'MonitorCreated' })
  create(@Body() body: CreateMonitorRequest) {
    return this.commands.create(body);
  }

  @Get()
  @RequireScope('monitors:read')
  @ApiOperation({
    operationId: 'listMonitors',
    summary: 'List monitors',
    description: 'Newest first.',
  })
  @ApiOkResponse({ type: MonitorPageSchema })
  list(@Query() query: ListMonitorsQuery) {
    return this.queries.list({ ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get(':id')
  @RequireScope('monitors:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'getMonitor',
    summary: 'Read a monitor and its health',
    description: 'Credentials are never shown, to any token: only whether they are set.',
  })
  @ApiOkResponse({ type: MonitorSchema })
  get(@Param('id', monitorId) id: string) {
    return this.queries.get(id);
  }

  @Patch(':id')
  @RequireScope('monitors:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'tuneMonitor',
    summary: 'Tune a monitor',
    description:
      'Changes the name or settings (thresholds, intervals, query, target): MonitorTuned. ' +
      'Credentials given here replace the current ones (MonitorCredentialsReplaced).',
  })
  @ApiOkResponse({ type: MonitorMutationResponse })
  tune(@Param('id', monitorId) id: string, @Body() body: TuneMonitorRequest) {
    return this.commands.tune(id, body);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequireScope('monitors:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'pauseMonitor',
    summary: 'Pause a monitor',
    description: 'No checks run until it is resumed; pausing twice changes nothing.',
  })
  @ApiOkResponse({ type: MonitorMutationResponse, description: 'MonitorPaused' })
  pause(@Param('id', monitorId) id: string, @Body() body: PauseMonitorRequest) {
    return this.commands.pause(id, body.reason ?? null);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequireScope('monitors:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ operationId: 'resumeMonitor', summary: 'Resume a paused monitor' })
  @ApiOkResponse({ type: MonitorMutationResponse, description: 'MonitorResumed' })
  resume(@Param('id', monitorId) id: string) {
    return this.commands.resume(id);
  }
}
