import { Injectable, Logger } from '@nestjs/common';

import { CommandContexts } from '@observe/commands';
import { Clock, DomainError } from '@observe/core';
import { Transactions } from '@observe/database';
import { AlertEvent, IncidentCommands } from '@observe/incidents';

import { CredentialCipher } from '../credentials/credential-cipher';
import { MonitorDefinition, monitorDedupKey } from '../domain';
import { MetricPoints } from '../metrics/metric-points';
import { CheckOutcome } from '../read-model/monitor.view';
import { MONITOR_RUNS_TABLE, MONITORS_TABLE } from '../read-model/monitors.schema';
import { HttpProbe } from './http-probe';
import { breaches } from './threshold-evaluation';

/** A monitor this process claimed for one check, with its run state at claim time. */
type ClaimedMonitor = MonitorDefinition & {
  monitor_id: string;
  name: string;
  service: string;
  sealed_credentials: string | null;
  consecutive_failures: number;
  alerting: boolean;
};

interface CheckResult {
  outcome: CheckOutcome;
  /** What the check saw, safe to store and show: never a credential. */
  detail: Record<string, unknown>;
  summary: string;
}

export type RunOutcome = 'triggered' | 'resolved' | 'suppressed' | 'unchanged';

const BATCH_SIZE = 10;
const MAX_ATTEMPTS = 3;

/**
 * Runs the monitors that are due, on the scheduler. Claiming moves a
 * monitor's next run forward under `FOR UPDATE SKIP LOCKED`, so several
 * scheduler processes never run one check twice. A failing check raises an
 * alert through the alert ingestion path (dedup key per monitor), so dedup,
 * maintenance and incidents apply; recovery resolves it.
 */
@Injectable()
export class MonitorRunner {
  private readonly logger = new Logger(MonitorRunner.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly incidents: IncidentCommands,
    private readonly probe: HttpProbe,
    private readonly points: MetricPoints,
    private readonly cipher: CredentialCipher,
    private readonly clock: Clock,
  ) {}

  /** Runs every due monitor once; answers how many ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.claim(now);
      await Promise.all(claimed.map((monitor) => this.runOne(monitor, now)));
      ran += claimed.length;
      if (claimed.length < BATCH_SIZE) return ran;
    }
  }

  private claim(now: Date): Promise<ClaimedMonitor[]> {
    return this.transactions.run(async (manager) => {
      await manager.query(
        `INSERT INTO ${MONITOR_RUNS_TABLE} (monitor_id, next_run_at)
         SELECT m.id, $1 FROM ${MONITORS_TABLE} m
          WHERE m.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM ${MONITOR_RUNS_TABLE} r WHERE r.monitor_id = m.id)
         ON CONFLICT (monitor_id) DO NOTHING`,
        [now],
      );
      return manager.query(
        `WITH due AS (
           SELECT r.monitor_id FROM ${MONITOR_RUNS_TABLE} r
             JOIN ${MONITORS_TABLE} m ON m.id = r.monitor_id
            WHERE m.status = 'active' AND r.next_run_at <= $1
            ORDER BY r.next_run_at
            LIMIT $2
            FOR UPDATE OF r SKIP LOCKED
         ), claimed AS (
           UPDATE ${MONITOR_RUNS_TABLE} r
              SET next_run_at = $1::timestamptz
                    + make_interval(secs => (m.settings->>'intervalSeconds')::int)
             FROM due, ${MONITORS_TABLE} m
            WHERE r.monitor_id = due.monitor_id AND m.id = r.monitor_id
           RETURNING r.monitor_id, r.consecutive_failures, r.alerting
         )
         SELECT c.*, m.name, m.service, m.kind, m.settings, m.sealed_credentials
           FROM claimed c JOIN ${MONITORS_TABLE} m ON m.id = c.monitor_id`,
        [now, BATCH_SIZE],
      );
    });
  }

  private async runOne(monitor: ClaimedMonitor, now: Date): Promise<void> {
    try {
      const result = await this.check(monitor, now);
      const outcome = await this.record(monitor, result, now);
      if (outcome !== 'unchanged') {
        this.logger.log({
          msg: `monitor alert ${outcome}`,
          monitorId: monitor.monitor_id,
          service: monitor.service,
          outcome: result.outcome,
        });
      }
    } catch (error) {
      this.logger.warn({
        msg: 'monitor check could not be recorded; it runs again at its next interval',
        monitorId: monitor.monitor_id,
        err: error,
      });
    }
  }

  private async check(monitor: ClaimedMonitor, now: Date): Promise<CheckResult> {
    if (monitor.kind === 'threshold') {
      const { settings } = monitor;
      const from = new Date(now.getTime() - settings.windowSeconds * 1000);
      const { value, points } = await this.points.aggregate(
        { service: monitor.service, metric: settings.metric, aggregation: settings.aggregation },
        from,
        now,
      );
      const detail = { value, points, windowSeconds: settings.windowSeconds };
      if (value === null) return { outcome: 'no_data', detail, summary: 'no points in the window' };
      const breached = breaches(value, settings.operator, settings.threshold);
      const summary =
        `${settings.aggregation}(${settings.metric}) over ${settings.windowSeconds}s ` +
        `is ${value}, ` +
        `${breached ? 'breaching' : 'within'} ${settings.operator} ${settings.threshold}`;
      return { outcome: breached ? 'down' : 'up', detail, summary };
    }

    const { settings } = monitor;
    let headers: Record<string, string> = {};
    if (monitor.sealed_credentials) {
      try {
        headers = this.cipher.open(monitor.sealed_credentials, monitor.monitor_id).headers;
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'unreadable';
        return { outcome: 'error', detail: { error: reason }, summary: reason };
      }
    }
    const probe = await this.probe.check({
      url: settings.url,
      method: settings.method,
      headers,
      timeoutMs: settings.timeoutMs,
      expectedStatus: settings.expectedStatus,
    });
    const summary = probe.up
      ? `${settings.method} ${settings.url} answered ${probe.status}`
      : `${settings.method} ${settings.url} failed: ${probe.error}`;
    return { outcome: probe.up ? 'up' : 'down', detail: { ...probe }, summary };
  }

  /** Moves the run state and raises or resolves the alert, in one transaction. */
  private async record(
    monitor: ClaimedMonitor,
    result: CheckResult,
    now: Date,
  ): Promise<RunOutcome> {
    const context = CommandContexts.system('monitor-runner', monitor.monitor_id);

    for (let attempt = 1; ; attempt += 1) {
      try {
        return await CommandContexts.run(context, () =>
          this.transactions.run(async (manager) => {
            const { failures, alerting, outcome } = await this.transition(monitor, result);
            await manager.query(
              `UPDATE ${MONITOR_RUNS_TABLE}
                  SET consecutive_failures = $2, alerting = $3, last_checked_at = $4,
                      last_outcome = $5, last_detail = $6
                WHERE monitor_id = $1`,
              [
                monitor.monitor_id,
                failures,
                alerting,
                now,
                result.outcome,
                JSON.stringify({ ...result.detail, summary: result.summary }),
              ],
            );
            return outcome;
          }),
        );
      } catch (error) {
        const conflict = error instanceof DomainError && error.code === 'concurrency';
        if (!conflict || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async transition(
    monitor: ClaimedMonitor,
    result: CheckResult,
  ): Promise<{ failures: number; alerting: boolean; outcome: RunOutcome }> {
    const { alerting } = monitor;
    if (result.outcome === 'error' || result.outcome === 'no_data') {
      return { failures: monitor.consecutive_failures, alerting, outcome: 'unchanged' };
    }

    if (result.outcome === 'up') {
      if (!alerting) return { failures: 0, alerting, outcome: 'unchanged' };
      await this.resolve(monitor, result);
      return { failures: 0, alerting: false, outcome: 'resolved' };
    }

    const failures = monitor.consecutive_failures + 1;
    const needed = monitor.kind === 'http' ? monitor.settings.alertAfterFailures : 1;
    if (alerting || failures < needed) return { failures, alerting, outcome: 'unchanged' };

    const raised = await this.incidents.ingestAlert(this.alert(monitor, result, 'trigger'));
    // A suppressed trigger opened nothing: the next failing check tries again, so
    // an outage that outlasts the maintenance window still opens its incident.
    if (raised.outcome === 'suppressed')
      return { failures, alerting: false, outcome: 'suppressed' };
    return { failures, alerting: true, outcome: 'triggered' };
  }

  private async resolve(monitor: ClaimedMonitor, result: CheckResult): Promise<void> {
    try {
      await this.incidents.ingestAlert(this.alert(monitor, result, 'resolve'));
    } catch (error) {
      // Nothing to resolve (the incident was never opened): recovery is still recovery.
      if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
    }
  }

  private alert(
    monitor: ClaimedMonitor,
    result: CheckResult,
    action: 'trigger' | 'resolve',
  ): AlertEvent {
    return {
      service: monitor.service,
      action,
      dedupKey: monitorDedupKey(monitor.monitor_id),
      summary: `${monitor.name}: ${result.summary}`.slice(0, 500),
      severity: monitor.settings.severity,
      source: `monitor:${monitor.monitor_id}`,
      links: [{ href: `/api/v1/monitors/${monitor.monitor_id}`, text: 'monitor' }],
      details: { monitorId: monitor.monitor_id, kind: monitor.kind, ...result.detail },
    };
  }
}
