import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository, CommandContexts } from '@observe/commands';
import { Clock, deterministicUuid, DomainError } from '@observe/core';
import { Transactions } from '@observe/database';
import { EventStore, NewEvent } from '@observe/event-store';
import { incidentStreamId } from '@observe/incidents';

import { whoIsOnCall } from '../../on-call/domain';
import { OnCallScheduleQueries } from '../../on-call/read-model/on-call-schedule.queries';
import {
  escalationFiringKey,
  EscalationStep,
  nextEscalation,
  nextEscalationDueAt,
  resolveEscalationTargets,
} from '../domain';
import { ESCALATION_TIMERS_TABLE } from './escalation-timers.schema';
import { IncidentEscalated } from './incident-escalated.event';
import { incidentEscalationFold } from './incident-escalation.fold';

interface TimerRow {
  incident_id: string;
  service_id: string;
  policy_id: string;
  plan: EscalationStep[];
}

type FireOutcome = 'none' | 'fired' | 'stopped' | 'rescheduled';

const MAX_PER_PASS = 100;
const RETRY_DELAY_MS = 30_000;

/**
 * Fires the escalation timers that are due, on the scheduler. A timer is
 * claimed with `FOR UPDATE SKIP LOCKED`, the incident's own stream decides
 * whether it still needs escalating, and `IncidentEscalated` is appended at
 * the exact revision read, with an id derived from (incident, level): two
 * schedulers, a retry or a concurrent acknowledgement can never page twice.
 */
@Injectable()
export class EscalationScheduler {
  private readonly logger = new Logger(EscalationScheduler.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly aggregates: AggregateRepository,
    private readonly store: EventStore,
    private readonly schedules: OnCallScheduleQueries,
    private readonly clock: Clock,
  ) {}

  /** Fires every timer due now; answers how many incidents escalated. */
  async fireDue(): Promise<number> {
    let fired = 0;
    for (let pass = 0; pass < MAX_PER_PASS; pass += 1) {
      const outcome = await this.fireNext();
      if (outcome === 'none') break;
      if (outcome === 'fired') fired += 1;
    }
    return fired;
  }

  private async fireNext(): Promise<FireOutcome> {
    const now = this.clock.now();
    let claimed: string | undefined;
    try {
      return await CommandContexts.run(CommandContexts.system('escalation-scheduler'), () =>
        this.transactions.run(async (manager) => {
          const [row]: TimerRow[] = await manager.query(
            `SELECT incident_id, service_id, policy_id, plan FROM ${ESCALATION_TIMERS_TABLE}
              WHERE next_due_at <= $1
              ORDER BY next_due_at
              LIMIT 1
              FOR UPDATE SKIP LOCKED`,
            [now],
          );
          if (!row) return 'none';
          claimed = row.incident_id;
          return this.fire(row, now);
        }),
      );
    } catch (error) {
      // An acknowledgement landed between the read and the append: the next pass sees it.
      if (error instanceof DomainError && error.code === 'concurrency') return 'rescheduled';
      if (claimed) await this.postpone(claimed, now, error);
      return claimed ? 'rescheduled' : 'none';
    }
  }

  private async fire(row: TimerRow, now: Date): Promise<FireOutcome> {
    const stream = incidentStreamId(row.incident_id);
    const { state, revision } = await this.aggregates.load(stream, incidentEscalationFold);

    const due = state.opened ? nextEscalation(row.plan, state, now) : null;
    if (!due) {
      const next = state.opened ? nextEscalationDueAt(row.plan, state) : null;
      await this.update(row.incident_id, state, next);
      return next === null ? 'stopped' : 'rescheduled';
    }

    const { people, unstaffedSchedules } = await this.resolveTargets(due, now);
    const event: IncidentEscalated = {
      type: 'IncidentEscalated',
      data: {
        incidentId: row.incident_id,
        sequence: state.sequence + 1,
        service: row.service_id,
        at: now.toISOString(),
        policyId: row.policy_id,
        level: due.level,
        policyLevel: due.policyLevel,
        round: due.round,
        dueAt: due.dueAt,
        reason: reasonFor(due, row.plan),
        targets: due.targets,
        notified: people,
        unstaffedSchedules,
        skippedLevels: due.skippedLevels,
      },
    };
    await this.append(stream, event, revision, now);

    const after = { ...state, escalatedLevels: [...state.escalatedLevels, due.level] };
    await this.update(row.incident_id, after, nextEscalationDueAt(row.plan, after));
    this.logger.log({
      msg: 'incident escalated; targets paged',
      incidentId: row.incident_id,
      level: due.level,
      notified: people,
      unstaffedSchedules,
      skippedLevels: due.skippedLevels,
    });
    return 'fired';
  }

  private async append(stream: string, event: IncidentEscalated, revision: number, now: Date) {
    const context = CommandContexts.current();
    const newEvent: NewEvent = {
      eventId: deterministicUuid(escalationFiringKey(event.data.incidentId, event.data.level)),
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: {
        actor: { kind: 'system', name: 'escalation-scheduler' },
        correlationId: context?.correlationId ?? event.data.incidentId,
        causationId: event.data.incidentId,
        occurredAt: now.toISOString(),
      },
    };
    await this.store.append(stream, [newEvent], {
      expectedRevision: revision < 0 ? 'no_stream' : revision,
    });
  }

  /** People to page now: person targets, and whoever each schedule target has on call. */
  private async resolveTargets(step: EscalationStep, at: Date) {
    const scheduleIds = step.targets
      .filter((target) => target.kind === 'schedule')
      .map((target) => target.id);
    const loaded = await this.schedules.loadMany(scheduleIds);
    const byId = new Map(loaded.map(({ schedule }) => [schedule.id, schedule]));

    return resolveEscalationTargets(step.targets, at, (scheduleId, instant) => {
      const schedule = byId.get(scheduleId);
      return schedule ? whoIsOnCall(schedule, instant) : null;
    });
  }

  private async update(
    incidentId: string,
    state: { acknowledged: boolean; resolved: boolean; escalatedLevels: number[] },
    nextDueAt: string | null,
  ): Promise<void> {
    await this.transactions.current().query(
      `UPDATE ${ESCALATION_TIMERS_TABLE}
          SET acknowledged = $2, resolved = $3, escalated_levels = $4, next_due_at = $5,
              attempts = 0, last_error = NULL, updated_at = now()
        WHERE incident_id = $1`,
      [incidentId, state.acknowledged, state.resolved, state.escalatedLevels, nextDueAt],
    );
  }

  /** A timer that failed waits a little, so one bad incident cannot starve the rest. */
  private async postpone(incidentId: string, now: Date, error: unknown): Promise<void> {
    this.logger.warn({
      msg: 'escalation failed; retrying in 30 s',
      incidentId,
      err: error,
    });
    const message = error instanceof Error ? error.message : String(error);
    await this.transactions
      .detached(() =>
        this.transactions.dataSource.query(
          `UPDATE ${ESCALATION_TIMERS_TABLE}
              SET attempts = attempts + 1, last_error = $2, next_due_at = $3, updated_at = now()
            WHERE incident_id = $1`,
          [incidentId, message.slice(0, 1000), new Date(now.getTime() + RETRY_DELAY_MS)],
        ),
      )
      .catch((failure: unknown) =>
        this.logger.error({ msg: 'could not postpone an escalation', incidentId, err: failure }),
      );
  }
}

function reasonFor(step: EscalationStep, plan: EscalationStep[]): string {
  const openedAt = plan[0]?.dueAt ?? step.dueAt;
  const minutes = Math.round((Date.parse(step.dueAt) - Date.parse(openedAt)) / 60_000);
  return minutes <= 0
    ? 'the incident opened: paging the first level'
    : `not acknowledged within ${minutes} minutes of opening`;
}
