import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';

import { OnCallOverride, ScheduleLayer } from '../domain';
import {
  activeSchedule,
  ScheduleAggregateState,
  scheduleAggregate,
  ScheduleCommand,
  scheduleStream,
} from '../on-call-schedule.aggregate';
import { OnCallScheduleView, toScheduleView } from '../read-model/on-call-schedule.view';

export interface CreateScheduleInput {
  name: string;
  timeZone: string;
  teamId?: string | null;
  layers?: ScheduleLayer[];
}

export interface ScheduleOverrideInput {
  person: string;
  startsAt: string;
  endsAt: string;
}

/** Creates schedules, changes their layers and team, and schedules or cancels overrides. */
@Injectable()
export class ScheduleCommandsHandler {
  private readonly logger = new Logger(ScheduleCommandsHandler.name);

  constructor(private readonly aggregates: AggregateRepository) {}

  async create(input: CreateScheduleInput): Promise<OnCallScheduleView> {
    const scheduleId = randomUUID();

    let state = await this.handle({
      type: 'CreateSchedule',
      data: { scheduleId, name: input.name, timeZone: input.timeZone, layers: input.layers ?? [] },
    });
    if (input.teamId) {
      state = await this.handle({
        type: 'AssignScheduleTeam',
        data: { scheduleId, teamId: input.teamId },
      });
    }

    this.logger.log({ msg: 'on-call schedule created', scheduleId, teamId: state.teamId });
    return toScheduleView(activeSchedule(state), state.teamId);
  }

  async replaceLayers(scheduleId: string, layers: ScheduleLayer[]): Promise<OnCallScheduleView> {
    return this.change({ type: 'ReplaceLayers', data: { scheduleId, layers } });
  }

  async addLayer(scheduleId: string, layer: ScheduleLayer): Promise<OnCallScheduleView> {
    return this.change({ type: 'AddLayer', data: { scheduleId, layer } });
  }

  async assignTeam(scheduleId: string, teamId: string | null): Promise<OnCallScheduleView> {
    return this.change({ type: 'AssignScheduleTeam', data: { scheduleId, teamId } });
  }

  async scheduleOverride(
    scheduleId: string,
    input: ScheduleOverrideInput,
  ): Promise<OnCallOverride & { scheduleId: string }> {
    const overrideId = randomUUID();

    const state = await this.handle({
      type: 'ScheduleOverride',
      data: { scheduleId, overrideId, ...input },
    });

    const override = activeSchedule(state).overrides.find((each) => each.id === overrideId);
    this.logger.log({ msg: 'on-call override scheduled', scheduleId, overrideId });
    return { scheduleId, id: overrideId, ...input, ...override };
  }

  async cancelOverride(scheduleId: string, overrideId: string): Promise<OnCallScheduleView> {
    return this.change({ type: 'CancelOverride', data: { scheduleId, overrideId } });
  }

  private async change(command: ScheduleCommand): Promise<OnCallScheduleView> {
    const state = await this.handle(command);
    this.logger.log({
      msg: 'on-call schedule changed',
      scheduleId: command.data.scheduleId,
      change: command.type,
    });
    return toScheduleView(activeSchedule(state), state.teamId);
  }

  private async handle(command: ScheduleCommand): Promise<ScheduleAggregateState> {
    const handled = await this.aggregates.handle(
      scheduleStream(command.data.scheduleId),
      scheduleAggregate,
      command,
    );
    return handled.state;
  }
}
