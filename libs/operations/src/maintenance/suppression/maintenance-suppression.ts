import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { Clock } from '@observe/core';

import { maintenanceStream } from '../maintenance-window.aggregate';
import { MaintenanceWindowQueries } from '../read-model/maintenance-window.queries';
import { AlertSuppressed } from './alert-suppressed.event';

/** The parts of an incoming alert the maintenance check reads and records. */
export interface AlertUnderReview {
  service: string;
  dedupKey: string | null;
  summary: string;
  severity: string | null;
  source: string | null;
}

export type MaintenanceVerdict =
  | { suppressed: false }
  | {
      suppressed: true;
      /** Every window covering the service now, earliest first. */
      windowIds: string[];
      /** The latest end among them: when alerts on the service page again, unless extended. */
      until: string;
      reason: string;
    };

/**
 * Decides whether an alert is muted by maintenance, at the injected clock's
 * now, and records each muted alert as `AlertSuppressed` in the same
 * transaction as the ingestion that asked.
 */
@Injectable()
export class MaintenanceSuppression {
  private readonly logger = new Logger(MaintenanceSuppression.name);

  constructor(
    private readonly windows: MaintenanceWindowQueries,
    private readonly aggregates: AggregateRepository,
    private readonly clock: Clock,
  ) {}

  async review(alert: AlertUnderReview): Promise<MaintenanceVerdict> {
    const now = this.clock.now();
    const active = await this.windows.activeFor(alert.service, now);
    if (active.length === 0) return { suppressed: false };

    const windowIds = active.map((window) => window.id);
    const until = new Date(Math.max(...active.map((window) => Date.parse(window.endsAt))));
    const event: AlertSuppressed = {
      type: 'AlertSuppressed',
      data: {
        windowIds,
        service: alert.service,
        dedupKey: alert.dedupKey,
        summary: alert.summary,
        severity: alert.severity,
        source: alert.source,
        suppressedAt: now.toISOString(),
      },
    };
    await this.aggregates.append(maintenanceStream(windowIds[0]), [event], 'any');

    this.logger.log({
      msg: 'alert suppressed by maintenance; no incident opened, nobody paged',
      service: alert.service,
      dedupKey: alert.dedupKey,
      windowIds,
    });
    return {
      suppressed: true,
      windowIds,
      until: until.toISOString(),
      reason:
        `service ${alert.service} is in maintenance until ${until.toISOString()} ` +
        `(${windowIds.length === 1 ? 'window' : 'windows'} ${windowIds.join(', ')})`,
    };
  }
}
