import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { AggregateRepository, CommandContexts } from '@observe/commands';
import { Clock } from '@observe/core';
import { advisoryKey, Transactions } from '@observe/database';
import { EventStore } from '@observe/event-store';
import { IncidentCommands } from '@observe/incidents';

import { DETECTION_SETTINGS, DetectionSettings } from '../detections.settings';
import { ActiveRule, RuleCatalogQueries } from '../rules/catalog/rule-catalog.queries';
import { SECURITY_EVENTS_TABLE } from '../security-events/security-events.schema';
import { compileSigmaRule, CompiledRule, SigmaRuleError, ThresholdWindow } from '../sigma';
import { detectionStreamId, detectionTriggered } from './detection-triggered.event';
import { detectorState, rulesInEffect } from './detector-state';
import { evaluateEvents, Firing } from './rule-evaluator';
import { EvidenceEvent, securityIncidentFor } from './security-incident';

export type BatchOutcome =
  | { status: 'evaluated'; events: number; detections: number }
  | { status: 'idle' }
  /** Another process holds the detector lock and is evaluating. */
  | { status: 'busy' };

export interface DrainOutcome {
  batches: number;
  events: number;
  detections: number;
  busy: boolean;
}

interface WindowCache {
  /** The `batches` count the cached windows belong to. */
  batches: number;
  windows: Map<string, { version: number; window: ThresholdWindow }>;
}

const LOCK = advisoryKey('detections:detector');
const MAX_BATCHES_PER_DRAIN = 100;

/**
 * Evaluates ingested security events against the active rules. Each batch is
 * one transaction: read events after the checkpoint, evaluate, write every
 * DetectionTriggered and its security incident, store the threshold windows
 * and move the checkpoint. So a firing is written exactly once, even across
 * crashes and restarts; a transaction-scoped advisory lock keeps one process
 * at a time evaluating.
 */
@Injectable()
export class DetectionWorker {
  private readonly logger = new Logger(DetectionWorker.name);
  private readonly compiled = new Map<string, CompiledRule | undefined>();
  private cache?: WindowCache;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly transactions: Transactions,
    private readonly catalog: RuleCatalogQueries,
    private readonly aggregates: AggregateRepository,
    private readonly store: EventStore,
    private readonly incidents: IncidentCommands,
    private readonly clock: Clock,
    @Inject(DETECTION_SETTINGS) private readonly settings: DetectionSettings,
  ) {}

  /** Evaluates batches until nothing is left (or another process has the lock). */
  drain(): Promise<DrainOutcome> {
    const run = this.queue.then(() => this.drainNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Forgets cached windows, as a restarted process would. */
  forgetCache(): void {
    this.cache = undefined;
    this.compiled.clear();
  }

  private async drainNow(): Promise<DrainOutcome> {
    const total: DrainOutcome = { batches: 0, events: 0, detections: 0, busy: false };
    for (let batch = 0; batch < MAX_BATCHES_PER_DRAIN; batch += 1) {
      const outcome = await this.runBatch();
      if (outcome.status === 'busy') return { ...total, busy: true };
      if (outcome.status === 'idle') return total;

      total.batches += 1;
      total.events += outcome.events;
      total.detections += outcome.detections;
      if (outcome.events < this.settings.detectorBatchSize) return total;
    }
    return total;
  }

  private async runBatch(): Promise<BatchOutcome> {
    try {
      return await this.transactions.run((manager) => this.evaluateBatch(manager));
    } catch (error) {
      // Windows may hold the rolled-back batch: reload them from the database.
      this.cache = undefined;
      throw error;
    }
  }

  private async evaluateBatch(manager: EntityManager): Promise<BatchOutcome> {
    const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      LOCK,
    ]);
    if (!locked) return { status: 'busy' };

    const checkpoint = await detectorState.lockCheckpoint(manager);
    const events = await detectorState.readAfter(
      manager,
      checkpoint,
      this.settings.detectorBatchSize,
    );
    const last = events[events.length - 1];
    if (!last) return { status: 'idle' };

    const active = await this.catalog.active();
    const current = this.cache?.batches === checkpoint.batches ? this.cache : undefined;
    const snapshots = current ? undefined : await detectorState.loadWindows(manager);
    const rules = rulesInEffect(
      active,
      (rule) => this.compile(rule),
      current?.windows ?? new Map(),
      snapshots,
    );

    const { firings, touched } = evaluateEvents(events, rules);
    let written = 0;
    for (const firing of firings) {
      if (await this.fire(firing, manager)) written += 1;
    }

    const now = this.clock.now();
    const windows = rules.flatMap((rule) =>
      rule.window && touched.has(rule.id)
        ? [{ ruleId: rule.id, ruleVersion: rule.version, snapshot: rule.window.toJSON() }]
        : [],
    );
    await detectorState.saveWindows(
      manager,
      windows,
      active.map((rule) => rule.id),
      now,
    );
    await detectorState.saveCheckpoint(manager, last, events.length, written);

    this.cache = {
      batches: checkpoint.batches + 1,
      windows: new Map(
        rules.flatMap((rule) =>
          rule.window ? [[rule.id, { version: rule.version, window: rule.window }] as const] : [],
        ),
      ),
    };
    return { status: 'evaluated', events: events.length, detections: written };
  }

  /** Opens the security incident and records the detection; false when it was already written. */
  private async fire(firing: Firing, manager: EntityManager): Promise<boolean> {
    const streamId = detectionStreamId(firing.detectionId);
    if ((await this.store.readStream(streamId, { maxCount: 1 })).length > 0) return false;

    const evidence = await this.evidence(firing, manager);
    const context = CommandContexts.system(
      'detector',
      undefined,
      `detection:${firing.detectionId}`,
    );
    return CommandContexts.run(context, async () => {
      const incident = await this.incidents.open(
        securityIncidentFor(firing, evidence, this.settings.maxEvidenceInIncident),
      );
      await this.aggregates.append(
        streamId,
        [detectionTriggered(firing, incident.id, this.clock.now())],
        'no_stream',
      );
      this.logger.log({
        msg: 'detection triggered; security incident opened',
        detectionId: firing.detectionId,
        ruleId: firing.ruleId,
        ruleVersion: firing.ruleVersion,
        group: firing.group,
        count: firing.count,
        incidentId: incident.id,
      });
      return true;
    });
  }

  private async evidence(firing: Firing, manager: EntityManager): Promise<EvidenceEvent[]> {
    const rows: Array<{ id: string; occurred_at: Date; event: Record<string, unknown> }> =
      await manager.query(
        `SELECT id, occurred_at, event FROM ${SECURITY_EVENTS_TABLE} WHERE id = ANY($1::uuid[])`,
        [firing.evidence.map((ref) => ref.id)],
      );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return firing.evidence.flatMap((ref) => {
      const row = byId.get(ref.id);
      if (!row) return [];
      return [{ id: row.id, occurredAt: row.occurred_at.toISOString(), event: row.event }];
    });
  }

  /**
   * Rules were checked when published; one that no longer compiles (a stricter
   * parser after an upgrade) is skipped with an error rather than stopping
   * every other rule.
   */
  private compile(rule: ActiveRule): CompiledRule | undefined {
    const key = `${rule.id}:${rule.version}`;
    if (this.compiled.has(key)) return this.compiled.get(key);

    let compiled: CompiledRule | undefined;
    try {
      compiled = compileSigmaRule(rule.rule);
    } catch (error) {
      if (!(error instanceof SigmaRuleError)) throw error;
      this.logger.error({
        msg: 'active rule does not compile; it is skipped until revised or disabled',
        ruleId: rule.id,
        ruleVersion: rule.version,
        err: error,
      });
    }
    this.compiled.set(key, compiled);
    return compiled;
  }
}
