import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { DEFAULT_PAGE_SIZE } from '../../shared/list-page';
import { SlugParamPipe } from '../../shared/slug-param.pipe';
import { UuidParamPipe } from '../../shared/uuid-param.pipe';
import { ScheduleCommandsHandler } from '../manage-schedules/schedule-commands.handler';
import { OnCallScheduleQueries } from '../read-model/on-call-schedule.queries';
import { WhoIsOnCall } from '../who-is-on-call/who-is-on-call';
import {
  AssignTeamRequest,
  CreateScheduleRequest,
  ListSchedulesQuery,
  OnCallAtQuery,
  ReplaceLayersRequest,
  ScheduleLayerRequest,
  ScheduleOverrideRequest,
  ShiftsQuery,
  toLayer,
} from './on-call.requests';
import {
  OnCallOverrideMutationResponse,
  OnCallScheduleMutationResponse,
  OnCallSchedulePageSchema,
  OnCallScheduleSchema,
  OnCallShiftsSchema,
  ScheduleOnCallSchema,
  TeamOnCallSchema,
} from './on-call.responses';

const uuid = new UuidParamPipe();

@ApiTags('on-call')
@Controller('api/v1/on-call')
export class OnCallController {
  constructor(
    private readonly commands: ScheduleCommandsHandler,
    private readonly queries: OnCallScheduleQueries,
    private readonly onCall: WhoIsOnCall,
  ) {}

  @Post('schedules')
  @RequireScope('on-call:write')
  @ApiOperation({
    operationId: 'createOnCallSchedule',
    summary: 'Create an on-call schedule',
    description:
      'Rotation layers hand off at a local wall time in the schedule time zone, so handoffs ' +
      'stay at 09:00 across daylight-saving changes. Later layers win; overrides beat all.',
  })
  @ApiCreatedResponse({ type: OnCallScheduleMutationResponse, description: 'ScheduleCreated' })
  create(@Body() body: CreateScheduleRequest) {
    return this.commands.create({ ...body, layers: (body.layers ?? []).map(toLayer) });
  }

  @Get('schedules')
  @RequireScope('on-call:read')
  @ApiOperation({ operationId: 'listOnCallSchedules', summary: 'List on-call schedules' })
  @ApiOkResponse({ type: OnCallSchedulePageSchema })
  list(@Query() query: ListSchedulesQuery) {
    return this.queries.list({ ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get('schedules/:id')
  @RequireScope('on-call:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ operationId: 'getOnCallSchedule', summary: 'Read an on-call schedule' })
  @ApiOkResponse({ type: OnCallScheduleSchema })
  get(@Param('id', uuid) id: string) {
    return this.queries.get(id);
  }

  @Get('schedules/:id/on-call')
  @RequireScope('on-call:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'whoIsOnCallForSchedule',
    summary: 'Who a schedule has on call, now or at a time',
  })
  @ApiOkResponse({ type: ScheduleOnCallSchema })
  whoIsOnCall(@Param('id', uuid) id: string, @Query() query: OnCallAtQuery) {
    return this.onCall.forSchedule(id, query.at);
  }

  @Get('schedules/:id/shifts')
  @RequireScope('on-call:read')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'listOnCallShifts',
    summary: 'The final schedule over a range',
    description: 'Shifts in time order, overrides applied; at most 93 days.',
  })
  @ApiOkResponse({ type: OnCallShiftsSchema })
  async shifts(@Param('id', uuid) id: string, @Query() query: ShiftsQuery) {
    return { data: await this.onCall.shifts(id, query.from, query.to) };
  }

  @Put('schedules/:id/layers')
  @RequireScope('on-call:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'replaceOnCallLayers',
    summary: "Replace a schedule's layers",
    description: 'All layers at once, lowest precedence first (ScheduleLayersReplaced).',
  })
  @ApiOkResponse({ type: OnCallScheduleMutationResponse })
  replaceLayers(@Param('id', uuid) id: string, @Body() body: ReplaceLayersRequest) {
    return this.commands.replaceLayers(id, body.layers.map(toLayer));
  }

  @Post('schedules/:id/layers')
  @HttpCode(200)
  @RequireScope('on-call:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'addOnCallLayer',
    summary: 'Add a layer on top of a schedule',
    description: 'The new layer takes precedence over every existing one.',
  })
  @ApiOkResponse({ type: OnCallScheduleMutationResponse })
  addLayer(@Param('id', uuid) id: string, @Body() body: ScheduleLayerRequest) {
    return this.commands.addLayer(id, toLayer(body));
  }

  @Put('schedules/:id/team')
  @RequireScope('on-call:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'assignOnCallScheduleTeam',
    summary: 'Set the team a schedule covers',
  })
  @ApiOkResponse({ type: OnCallScheduleMutationResponse })
  assignTeam(@Param('id', uuid) id: string, @Body() body: AssignTeamRequest) {
    return this.commands.assignTeam(id, body.teamId ?? null);
  }

  @Post('schedules/:id/overrides')
  @RequireScope('on-call:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    operationId: 'scheduleOnCallOverride',
    summary: 'Put someone on call over a time range',
    description: 'Beats every layer between startsAt and endsAt (OnCallOverrideScheduled).',
  })
  @ApiCreatedResponse({ type: OnCallOverrideMutationResponse })
  scheduleOverride(@Param('id', uuid) id: string, @Body() body: ScheduleOverrideRequest) {
    return this.commands.scheduleOverride(id, body);
  }

  @Post('schedules/:id/overrides/:overrideId/cancel')
  @HttpCode(200)
  @RequireScope('on-call:write')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'overrideId', format: 'uuid' })
  @ApiOperation({
    operationId: 'cancelOnCallOverride',
    summary: 'Cancel an override',
    description: 'One not started no longer counts; one running ends now and stays in history.',
  })
  @ApiOkResponse({ type: OnCallScheduleMutationResponse })
  cancelOverride(@Param('id', uuid) id: string, @Param('overrideId', uuid) overrideId: string) {
    return this.commands.cancelOverride(id, overrideId);
  }

  @Get('teams/:teamId/on-call')
  @RequireScope('on-call:read')
  @ApiOperation({
    operationId: 'whoIsOnCallForTeam',
    summary: 'Who is on call for a team, now or at a time',
  })
  @ApiOkResponse({ type: TeamOnCallSchema })
  team(@Param('teamId', SlugParamPipe) teamId: string, @Query() query: OnCallAtQuery) {
    return this.onCall.forTeam(teamId, query.at);
  }
}
