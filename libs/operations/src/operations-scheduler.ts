import { Injectable, Logger } from '@nestjs/common';

import { Clock, PeriodicTask } from '@observe/core';
import { Transactions } from '@observe/database';
import { EventStore } from '@observe/event-store';

import { EscalationScheduler } from './escalations/timers/escalation-scheduler';
import { EscalationTimerFeed } from './escalations/timers/escalation-timer.feed';
import { MonitorRunner } from './monitors/checks/monitor-runner';
import { METRIC_RETENTION_MS, MetricPoints } from './monitors/metrics/metric-points';
import { CheckpointedFeed } from './shared/checkpointed-feed';

export interface OperationsSchedulerOptions {
  /** How often due checks and escalation timers are looked for. */
  tickMs: number;
}

const PURGE_EVERY_MS = 3_600_000;

/**
 * The operations workers of a `scheduler` process: the escalation timer
 * feed, the escalation timers, the monitor checks and the metric purge.
 * Any number of scheduler processes may run; the feed is active in one at a
 * time and every timer or check is claimed by exactly one.
 */
@Injectable()
export class OperationsScheduler {
  private readonly logger = new Logger(OperationsScheduler.name);
  private feed?: CheckpointedFeed;
  private tasks: PeriodicTask[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly transactions: Transactions,
    private readonly timerFeed: EscalationTimerFeed,
    private readonly escalations: EscalationScheduler,
    private readonly monitors: MonitorRunner,
    private readonly points: MetricPoints,
    private readonly clock: Clock,
  ) {}

  start(options: OperationsSchedulerOptions): void {
    this.feed = new CheckpointedFeed(this.timerFeed, this.store, this.transactions);
    this.feed.start();

    const onError = (task: string) => (error: unknown) =>
      this.logger.warn({ msg: 'scheduler task failed; it runs again next tick', task, err: error });
    this.tasks = [
      new PeriodicTask(options.tickMs, () => this.escalations.fireDue(), onError('escalations')),
      new PeriodicTask(options.tickMs, () => this.monitors.runDue(), onError('monitors')),
      new PeriodicTask(PURGE_EVERY_MS, () => this.purgePoints(), onError('metric-purge')),
    ].map((task) => task.start());
    this.logger.log({ msg: 'operations scheduler started', tickMs: options.tickMs });
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((task) => task.stop()));
    this.tasks = [];
    await this.feed?.stop();
    this.feed = undefined;
  }

  /** Runs the due escalations and monitor checks now (tests, and operators' nudges). */
  async tick(): Promise<{ escalated: number; checked: number }> {
    const escalated = await this.escalations.fireDue();
    const checked = await this.monitors.runDue();
    return { escalated, checked };
  }

  private purgePoints(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - METRIC_RETENTION_MS);
    return this.transactions.run(() => this.points.purgeOlderThan(cutoff));
  }
}
