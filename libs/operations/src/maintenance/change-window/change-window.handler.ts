import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { Clock } from '@observe/core';

import { MaintenanceCommand } from '../domain';
import {
  maintenanceStream,
  maintenanceWindowDecider,
  scheduledWindow,
} from '../maintenance-window.aggregate';
import { MaintenanceWindowQueries } from '../read-model/maintenance-window.queries';
import { MaintenanceWindowView, toWindowView } from '../read-model/maintenance-window.view';

/**
 * Extends, ends or cancels a window. A started window can be ended but never
 * cancelled or deleted; one not started yet can only be cancelled.
 */
@Injectable()
export class ChangeMaintenanceWindowHandler {
  private readonly logger = new Logger(ChangeMaintenanceWindowHandler.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly queries: MaintenanceWindowQueries,
    private readonly clock: Clock,
  ) {}

  extend(windowId: string, endsAt: string): Promise<MaintenanceWindowView> {
    return this.change({ type: 'ExtendMaintenance', data: { windowId, endsAt } });
  }

  end(windowId: string): Promise<MaintenanceWindowView> {
    return this.change({ type: 'EndMaintenance', data: { windowId } });
  }

  cancel(windowId: string): Promise<MaintenanceWindowView> {
    return this.change({ type: 'CancelMaintenance', data: { windowId } });
  }

  private async change(command: MaintenanceCommand): Promise<MaintenanceWindowView> {
    const { windowId } = command.data;

    const handled = await this.aggregates.handle(
      maintenanceStream(windowId),
      maintenanceWindowDecider,
      command,
    );

    const window = scheduledWindow(handled.state);
    this.logger.log({
      msg: 'maintenance window changed',
      windowId,
      change: command.type,
      status: window.status,
      endsAt: window.endsAt,
    });
    return toWindowView(window, this.clock.now(), await this.queries.suppressedCount(windowId));
  }
}
