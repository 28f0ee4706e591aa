import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository, HandledCommand } from '@observe/commands';
import { ServiceDirectory } from '@observe/context-graph';
import { ConflictError, NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { IncidentKind, IncidentLink, incidentStreamId, isOpen, Severity } from './domain/incident';
import { IncidentVerdict } from './domain/incident-analysis';
import { IncidentCommand } from './domain/incident.commands';
import { incidentDecider, IncidentState } from './domain/incident.decider';
import { AlertDeduplication } from './ingest-alert/alert-deduplication';
import { AlertEvent, AlertIngestion, AlertOutcome } from './ingest-alert/alert-ingestion';
import { inTransaction } from './in-transaction';
import { IncidentView, viewOfState } from './incident-view';

export type OpenIncidentInput = {
  title: string;
  severity: Severity;
  /** Required for kind `incident`; security incidents and cases may have none. */
  service: string | null;
  kind?: IncidentKind;
  summary?: string | null;
  /** Later alerts with this key on the service join the incident while it is open. */
  dedupKey?: string | null;
  source?: string | null;
  links?: IncidentLink[];
  details?: Record<string, unknown> | null;
};

/**
 * What other modules (maintenance, monitors, detections, cases) and the HTTP
 * API call to change incidents. Every method needs a command context
 * (`CommandContexts.run`, or `CommandContexts.system(...)` in a worker) and
 * joins the caller's transaction when there is one.
 */
@Injectable()
export class IncidentCommands {
  private readonly logger = new Logger(IncidentCommands.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly transactions: Transactions,
    private readonly services: ServiceDirectory,
    private readonly dedup: AlertDeduplication,
    private readonly alerts: AlertIngestion,
  ) {}

  async open(input: OpenIncidentInput): Promise<IncidentView> {
    if (input.service && !(await this.services.find(input.service))) {
      throw new NotFoundError('service', input.service);
    }
    const incidentId = randomUUID();

    const view = await inTransaction(this.transactions, async () => {
      const dedupKey = input.dedupKey ?? null;
      if (dedupKey && input.service) await this.claimDedupKey(input.service, dedupKey, incidentId);

      const handled = await this.aggregates.handle(incidentStreamId(incidentId), incidentDecider, {
        type: 'OpenIncident',
        incidentId,
        kind: input.kind ?? 'incident',
        title: input.title,
        summary: input.summary ?? null,
        severity: input.severity,
        service: input.service,
        origin: 'manual',
        dedupKey,
        source: input.source ?? null,
        links: input.links ?? [],
        details: input.details ?? null,
      });
      return viewOfState(handled.state, incidentId);
    });
    this.logger.log({
      msg: 'incident opened',
      incidentId,
      service: input.service,
      kind: view.kind,
    });
    return view;
  }

  acknowledge(incidentId: string, input: { note?: string | null } = {}): Promise<IncidentView> {
    return this.run('acknowledged', {
      type: 'AcknowledgeIncident',
      incidentId,
      via: 'api',
      note: input.note ?? null,
    });
  }

  resolve(incidentId: string, input: { note?: string | null } = {}): Promise<IncidentView> {
    return this.run('resolved', {
      type: 'ResolveIncident',
      incidentId,
      via: 'api',
      note: input.note ?? null,
    });
  }

  postUpdate(
    incidentId: string,
    input: { message: string; links?: IncidentLink[] },
  ): Promise<IncidentView> {
    return this.run('update posted', {
      type: 'PostIncidentUpdate',
      incidentId,
      message: input.message,
      links: input.links ?? [],
    });
  }

  changeSeverity(
    incidentId: string,
    input: { severity: Severity; reason?: string | null },
  ): Promise<IncidentView> {
    return this.run('severity changed', {
      type: 'ChangeIncidentSeverity',
      incidentId,
      severity: input.severity,
      reason: input.reason ?? null,
    });
  }

  assign(incidentId: string, input: { assignee: string }): Promise<IncidentView> {
    return this.run('assigned', { type: 'AssignIncident', incidentId, assignee: input.assignee });
  }

  /** Stores the analyst's verdict; a second verdict for the same incident writes nothing. */
  recordAnalysis(incidentId: string, verdict: IncidentVerdict): Promise<IncidentView> {
    return this.run('analyzed', { type: 'RecordIncidentAnalysis', incidentId, verdict });
  }

  /** An alert event (trigger, acknowledge, resolve), as `POST /api/v1/alerts` takes it. */
  ingestAlert(alert: AlertEvent): Promise<AlertOutcome> {
    return this.alerts.ingest(alert);
  }

  /** The incident as its own events say, without waiting for the read model. */
  async get(incidentId: string): Promise<IncidentView> {
    const { state } = await this.aggregates.load(incidentStreamId(incidentId), incidentDecider);
    return viewOfState(state, incidentId);
  }

  private async run(done: string, command: Exclude<IncidentCommand, { type: 'OpenIncident' }>) {
    const handled: HandledCommand<IncidentState> = await this.aggregates.handle(
      incidentStreamId(command.incidentId),
      incidentDecider,
      command,
    );
    if (handled.result) {
      this.logger.log({ msg: `incident ${done}`, incidentId: command.incidentId });
    }
    return viewOfState(handled.state, command.incidentId);
  }

  /** A dedup key belongs to one open incident at a time. */
  private async claimDedupKey(
    service: string,
    dedupKey: string,
    incidentId: string,
  ): Promise<void> {
    await this.dedup.lock(service, dedupKey);
    const holder = await this.dedup.find(service, dedupKey);
    if (holder) {
      const { state } = await this.aggregates.load(incidentStreamId(holder), incidentDecider);
      if (state.incident && isOpen(state.incident.status)) {
        throw new ConflictError(
          `the open incident ${holder} already has the dedup key ${dedupKey} on ${service}`,
          { incidentId: holder, dedupKey, service },
        );
      }
    }
    await this.dedup.remember(service, dedupKey, incidentId);
  }
}
