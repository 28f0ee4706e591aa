import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { ServiceDirectory } from '@observe/context-graph';
import { Clock, NotFoundError } from '@observe/core';

import {
  maintenanceStream,
  maintenanceWindowDecider,
  scheduledWindow,
} from '../maintenance-window.aggregate';
import { MaintenanceWindowView, toWindowView } from '../read-model/maintenance-window.view';

export interface ScheduleMaintenanceWindowInput {
  services: string[];
  startsAt: string;
  endsAt: string;
  reason: string;
}

/** Schedules a window: from `startsAt` to `endsAt`, alerts on its services page nobody. */
@Injectable()
export class ScheduleMaintenanceWindowHandler {
  private readonly logger = new Logger(ScheduleMaintenanceWindowHandler.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly services: ServiceDirectory,
    private readonly clock: Clock,
  ) {}

  async execute(input: ScheduleMaintenanceWindowInput): Promise<MaintenanceWindowView> {
    // A misspelt service would mute nothing while everyone believes it muted.
    for (const service of new Set(input.services)) {
      if (!(await this.services.find(service))) throw new NotFoundError('service', service);
    }
    const windowId = randomUUID();

    const handled = await this.aggregates.handle(
      maintenanceStream(windowId),
      maintenanceWindowDecider,
      { type: 'ScheduleMaintenance', data: { windowId, ...input } },
    );

    const window = scheduledWindow(handled.state);
    this.logger.log({
      msg: 'maintenance window scheduled',
      windowId,
      services: window.services,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
    });
    return toWindowView(window, this.clock.now(), 0);
  }
}
