import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';

import { FeedConsumer } from '../../shared/checkpointed-feed';
import { escalationPlan, EscalationStep, nextEscalationDueAt } from '../domain';
import { EscalationPolicyQueries } from '../read-model/escalation-policy.queries';
import { ESCALATION_TIMERS_TABLE } from './escalation-timers.schema';

interface TimerRow {
  plan: EscalationStep[];
  escalated_levels: number[];
  acknowledged: boolean;
  resolved: boolean;
}

/**
 * Keeps the escalation timers from the incident events: a timer starts when
 * an incident opens on a service with a policy, moves on each
 * `IncidentEscalated`, and stops at acknowledgement or resolution. Applying
 * an event twice changes nothing, so a replay is harmless.
 */
@Injectable()
export class EscalationTimerFeed implements FeedConsumer {
  private readonly logger = new Logger(EscalationTimerFeed.name);
  readonly name = 'operations.escalation-timers';
  readonly filter = {
    streamPrefixes: ['incident-'],
    eventTypes: ['IncidentOpened', 'IncidentAcknowledged', 'IncidentResolved', 'IncidentEscalated'],
  };

  constructor(private readonly policies: EscalationPolicyQueries) {}

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) {
      const incidentId = String(event.data.incidentId);
      switch (event.type) {
        case 'IncidentOpened':
          await this.start(event, incidentId, manager);
          break;
        case 'IncidentAcknowledged':
          await this.stop(incidentId, 'acknowledged', manager);
          break;
        case 'IncidentResolved':
          await this.stop(incidentId, 'resolved', manager);
          break;
        case 'IncidentEscalated':
          await this.advance(incidentId, Number(event.data.level), manager);
          break;
      }
    }
  }

  private async start(event: RecordedEvent, incidentId: string, manager: EntityManager) {
    const service = event.data.service;
    if (typeof service !== 'string') return;
    const policy = await this.policies.forService(service);
    if (!policy) return;

    const openedAt = new Date(String(event.data.at ?? event.metadata.occurredAt));
    const plan = escalationPlan(policy, openedAt);
    const state = { acknowledged: false, resolved: false, escalatedLevels: [] };
    await manager.query(
      `INSERT INTO ${ESCALATION_TIMERS_TABLE}
         (incident_id, service_id, policy_id, plan, next_due_at, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (incident_id) DO NOTHING`,
      [
        incidentId,
        service,
        policy.id,
        JSON.stringify(plan),
        nextEscalationDueAt(plan, state),
        openedAt,
      ],
    );
    this.logger.log({
      msg: 'escalation timer started',
      incidentId,
      service,
      policyId: policy.id,
      levels: plan.length,
    });
  }

  private async stop(
    incidentId: string,
    reason: 'acknowledged' | 'resolved',
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE ${ESCALATION_TIMERS_TABLE}
          SET ${reason} = true, next_due_at = NULL, updated_at = now()
        WHERE incident_id = $1`,
      [incidentId],
    );
  }

  private async advance(incidentId: string, level: number, manager: EntityManager) {
    const [row]: TimerRow[] = await manager.query(
      `SELECT plan, escalated_levels, acknowledged, resolved
         FROM ${ESCALATION_TIMERS_TABLE} WHERE incident_id = $1 FOR UPDATE`,
      [incidentId],
    );
    if (!row || row.escalated_levels.includes(level)) return;

    const escalatedLevels = [...row.escalated_levels, level];
    const next = nextEscalationDueAt(row.plan, {
      acknowledged: row.acknowledged,
      resolved: row.resolved,
      escalatedLevels,
    });
    await manager.query(
      `UPDATE ${ESCALATION_TIMERS_TABLE}
          SET escalated_levels = $2, next_due_at = $3, updated_at = now()
        WHERE incident_id = $1`,
      [incidentId, escalatedLevels, next],
    );
  }
}
