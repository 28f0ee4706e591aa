import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { DEFAULT_PAGE_SIZE } from '../../shared/list-page';
import { UuidParamPipe } from '../../shared/uuid-param.pipe';
import { ChangeMaintenanceWindowHandler } from '../change-window/change-window.handler';
import { MaintenanceWindowQueries } from '../read-model/maintenance-window.queries';
import { ScheduleMaintenanceWindowHandler } from '../schedule-window/schedule-window.handler';
import {
  ExtendMaintenanceWindowRequest,
  ListMaintenanceWindowsQuery,
  ListSuppressedAlertsQuery,
  ScheduleMaintenanceWindowRequest,
} from './maintenance-windows.requests';
import {
  MaintenanceWindowDetailSchema,
  MaintenanceWindowMutationResponse,
  MaintenanceWindowPageSchema,
  SuppressedAlertPageSchema,
} from './maintenance-windows.responses';

const windowId = new UuidParamPipe();

@ApiTags('maintenance')
@Controller('api/v1/maintenance-windows')
export class MaintenanceWindowsController {
  constructor(
    private readonly schedule: ScheduleMaintenanceWindowHandler,
    private readonly change: ChangeMaintenanceWindowHandler,
    private readonly queries: MaintenanceWindowQueries,
  ) {}

  @Post()
  @RequireScope('maintenance:write')
  @ApiOperation({
    operationId: 'scheduleMaintenanceWindow',
    summary: 'Schedule a maintenance window',
    description:
      'From startsAt until endsAt, alerts on the listed services open no incident and page ' +
      'nobody; each is recorded as suppressed. Overlapping windows compose.',
  })
  @ApiCreatedResponse({ type: MaintenanceWindowMutationResponse })
  create(@Body() body: ScheduleMaintenanceWindowRequest) {
    return this.schedule.execute(body);
  }

  @Get()
  @RequireScope('maintenance:read')
  @ApiOperation({
    operationId: 'listMaintenanceWindows',
    summary: 'List maintenance windows',
    description: 'Latest start first; filter by service and by where a window stands now.',
  })
  @ApiOkResponse({ type: MaintenanceWindowPageSchema })
  list(@Query() query: ListMaintenanceWindowsQuery) {
    return this.queries.list({ ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('suppressed-alerts')
  @RequireScope('maintenance:read')
  @ApiOperation({
    operationId: 'listSuppressedAlerts',
    summary: 'List alerts muted by maintenance',
    description: 'Latest first; filter by service to see what maintenance muted on it.',
  })
  @ApiOkResponse({ type: SuppressedAlertPageSchema })
  suppressed(@Query() query: ListSuppressedAlertsQuery) {
    return this.queries.suppressedAlerts({ ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get(':id')
  @RequireScope('maintenance:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'getMaintenanceWindow',
    summary: 'Read a maintenance window',
    description: 'With the latest alerts it suppressed.',
  })
  @ApiOkResponse({ type: MaintenanceWindowDetailSchema })
  get(@Param('id', windowId) id: string) {
    return this.queries.get(id);
  }

  @Get(':id/suppressed-alerts')
  @RequireScope('maintenance:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'listMaintenanceWindowSuppressedAlerts',
    summary: "List a maintenance window's suppressed alerts",
  })
  @ApiOkResponse({ type: SuppressedAlertPageSchema })
  async windowSuppressed(
    @Param('id', windowId) id: string,
    @Query() query: ListSuppressedAlertsQuery,
  ) {
    await this.queries.get(id);
    return this.queries.suppressedAlerts({
      ...query,
      windowId: id,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    });
  }

  @Post(':id/extend')
  @HttpCode(200)
  @RequireScope('maintenance:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'extendMaintenanceWindow',
    summary: 'Extend a maintenance window',
    description: 'Moves the end of a window that is not over to a later time.',
  })
  @ApiOkResponse({ type: MaintenanceWindowMutationResponse, description: 'MaintenanceExtended' })
  extend(@Param('id', windowId) id: string, @Body() body: ExtendMaintenanceWindowRequest) {
    return this.change.extend(id, body.endsAt);
  }

  @Post(':id/end')
  @HttpCode(200)
  @RequireScope('maintenance:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'endMaintenanceWindow',
    summary: 'End a started maintenance window now',
    description: 'Alerts page again from now. A window that has not started is cancelled instead.',
  })
  @ApiOkResponse({ type: MaintenanceWindowMutationResponse, description: 'MaintenanceEnded' })
  end(@Param('id', windowId) id: string) {
    return this.change.end(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScope('maintenance:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'cancelMaintenanceWindow',
    summary: 'Cancel a maintenance window before it starts',
    description: 'A started window cannot be cancelled or deleted; end it instead.',
  })
  @ApiOkResponse({ type: MaintenanceWindowMutationResponse, description: 'MaintenanceCancelled' })
  cancel(@Param('id', windowId) id: string) {
    return this.change.cancel(id);
  }
}
