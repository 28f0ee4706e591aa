import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { ServiceDirectory } from '@observe/context-graph';
import { DomainError, NotFoundError, ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';

import { IncidentLink, incidentStreamId, isOpen, Severity } from '../domain/incident';
import { incidentDecider } from '../domain/incident.decider';
import { inTransaction } from '../in-transaction';
import { IncidentView, viewOfState } from '../incident-view';
import { AlertDeduplication } from './alert-deduplication';
import { AlertSuppressionPolicy } from './alert-suppression.policy';

export type AlertAction = 'trigger' | 'acknowledge' | 'resolve';

/** One event of the alerts API, the way PagerDuty's Events API v2 shapes them. */
export type AlertEvent = {
  service: string;
  action: AlertAction;
  /** Groups alerts into one incident; generated for a trigger without one. */
  dedupKey?: string | null;
  summary?: string | null;
  severity?: Severity | null;
  source?: string | null;
  links?: IncidentLink[];
  details?: Record<string, unknown> | null;
};

export type AlertOutcomeKind =
  'opened' | 'appended' | 'acknowledged' | 'resolved' | 'unchanged' | 'suppressed';

export type AlertOutcome = {
  outcome: AlertOutcomeKind;
  service: string;
  dedupKey: string;
  incidentId: string | null;
  incident: IncidentView | null;
  suppression: { reason: string; suppressedBy: { kind: string; id: string } | null } | null;
};

/**
 * Alert events into incidents. A trigger with a new dedup key opens one (unless
 * the suppression policy says otherwise); with the key of an open incident it
 * adds the alert to it. Acknowledge and resolve act on the key's incident.
 */
@Injectable()
export class AlertIngestion {
  private readonly logger = new Logger(AlertIngestion.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly transactions: Transactions,
    private readonly services: ServiceDirectory,
    private readonly dedup: AlertDeduplication,
    private readonly suppression: AlertSuppressionPolicy,
  ) {}

  async ingest(alert: AlertEvent): Promise<AlertOutcome> {
    if (!(await this.services.find(alert.service)))
      throw new NotFoundError('service', alert.service);

    return inTransaction(this.transactions, async () => {
      if (alert.action === 'trigger') return this.trigger(alert);
      return this.act(alert, alert.action);
    });
  }

  private async trigger(alert: AlertEvent): Promise<AlertOutcome> {
    const summary = required(alert.summary, 'summary');
    const severity = required(alert.severity, 'severity');
    const source = required(alert.source, 'source');
    const dedupKey = alert.dedupKey ?? randomUUID();
    const links = alert.links ?? [];
    const details = alert.details ?? null;
    const outcome = (kind: AlertOutcomeKind, incident: IncidentView | null): AlertOutcome => ({
      outcome: kind,
      service: alert.service,
      dedupKey,
      incidentId: incident?.id ?? null,
      incident,
      suppression: null,
    });

    await this.dedup.lock(alert.service, dedupKey);
    const mapped = await this.dedup.find(alert.service, dedupKey);
    if (mapped) {
      const { state } = await this.aggregates.load(incidentStreamId(mapped), incidentDecider);
      if (state.incident && isOpen(state.incident.status)) {
        const handled = await this.aggregates.handle(incidentStreamId(mapped), incidentDecider, {
          type: 'AddAlert',
          incidentId: mapped,
          dedupKey,
          summary,
          severity,
          source,
          links,
          details,
        });
        return outcome('appended', viewOfState(handled.state, mapped));
      }
    }

    const decision = await this.suppression.evaluate({
      service: alert.service,
      dedupKey,
      summary,
      severity,
      source,
      links,
      details,
    });
    if (decision.suppressed) {
      this.logger.log({
        msg: 'alert suppressed',
        service: alert.service,
        dedupKey,
        reason: decision.reason,
      });
      return {
        ...outcome('suppressed', null),
        suppression: { reason: decision.reason, suppressedBy: decision.suppressedBy },
      };
    }

    const incidentId = randomUUID();
    const handled = await this.aggregates.handle(incidentStreamId(incidentId), incidentDecider, {
      type: 'OpenIncident',
      incidentId,
      kind: 'incident',
      title: summary,
      summary: null,
      severity,
      service: alert.service,
      origin: 'alert',
      dedupKey,
      source,
      links,
      details,
    });
    await this.dedup.remember(alert.service, dedupKey, incidentId);
    this.logger.log({
      msg: 'incident opened from an alert',
      incidentId,
      service: alert.service,
      dedupKey,
    });
    return outcome('opened', viewOfState(handled.state, incidentId));
  }

  /**
   * Monitoring tools repeat themselves: acknowledging or resolving an incident
   * that is already resolved changes nothing and says so (`unchanged`).
   */
  private async act(alert: AlertEvent, action: 'acknowledge' | 'resolve'): Promise<AlertOutcome> {
    const dedupKey = required(alert.dedupKey, 'dedupKey');
    await this.dedup.lock(alert.service, dedupKey);
    const incidentId = await this.dedup.find(alert.service, dedupKey);
    if (!incidentId) {
      throw new DomainError(
        'not_found',
        `no incident of service ${alert.service} has the dedup key ${dedupKey}`,
        { resource: 'dedup-key', service: alert.service, dedupKey },
      );
    }

    const stream = incidentStreamId(incidentId);
    const { state } = await this.aggregates.load(stream, incidentDecider);
    const result = (kind: AlertOutcomeKind, view: IncidentView): AlertOutcome => ({
      outcome: kind,
      service: alert.service,
      dedupKey,
      incidentId,
      incident: view,
      suppression: null,
    });
    if (state.incident?.status === 'resolved')
      return result('unchanged', viewOfState(state, incidentId));

    const handled = await this.aggregates.handle(stream, incidentDecider, {
      type: action === 'acknowledge' ? 'AcknowledgeIncident' : 'ResolveIncident',
      incidentId,
      via: 'alert',
      note: alert.summary ?? null,
    });
    const changed = handled.result !== undefined;
    const kind: AlertOutcomeKind = !changed
      ? 'unchanged'
      : action === 'acknowledge'
        ? 'acknowledged'
        : 'resolved';
    if (changed) this.logger.log({ msg: `incident ${kind} by an alert`, incidentId, dedupKey });
    return result(kind, viewOfState(handled.state, incidentId));
  }
}

function required<T>(value: T | null | undefined, field: string): T {
  if (value !== null && value !== undefined && value !== '') return value;
  throw new ValidationError(`${field} is required for this action`, [
    { field, message: 'is required for this action' },
  ]);
}
