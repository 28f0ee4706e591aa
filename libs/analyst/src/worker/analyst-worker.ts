import { Injectable, Logger } from '@nestjs/common';
import { QueryRunner } from 'typeorm';

import { CommandContexts } from '@observe/commands';
import { DomainError, isRetriable, sleep } from '@observe/core';
import { advisoryKey, installSchema, Transactions } from '@observe/database';
import {
  DeferredCheckpoint,
  EventStore,
  GlobalCheckpoint,
  RecordedEvent,
  Subscription,
} from '@observe/event-store';
import { IncidentCommands, IncidentOpenedData, IncidentVerdict } from '@observe/incidents';
import { ProjectionRunner } from '@observe/projections';

import { AnalysisContextBuilder } from '../gather-context/analysis-context.builder';
import { IncidentAnalyst } from '../incident-analyst';
import { analystWorkerSchema } from './analyst-worker.schema';

const WORKER = 'incident-analyst';
const READ_MODELS = ['context-graph', 'incidents'];
const ATTEMPTS = 5;
const STANDBY_POLL_MS = 2_000;
const RESTART_DELAY_MS = 5_000;
const CHECKPOINT_WRITE_DELAY_MS = 1_000;

export type AnalysisOutcome = 'analyzed' | 'already-analyzed' | 'failed' | 'stopped';

/**
 * Analyses every opened incident once. A checkpointed subscription to the
 * global stream (IncidentOpened only); one active instance across processes
 * (advisory lock). Each verdict is appended as IncidentAnalyzed (system actor,
 * causation = the IncidentOpened event) in the same transaction that moves
 * the checkpoint, and the aggregate refuses a second verdict: a restart
 * neither skips an incident nor analyses it twice.
 */
@Injectable()
export class AnalystWorker {
  private readonly logger = new Logger(AnalystWorker.name);
  private abort = new AbortController();
  private lockConnection?: QueryRunner;
  private subscription?: Subscription;
  private checkpoint?: DeferredCheckpoint;
  private running?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly transactions: Transactions,
    private readonly projections: ProjectionRunner,
    private readonly builder: AnalysisContextBuilder,
    private readonly analyst: IncidentAnalyst,
    private readonly incidents: IncidentCommands,
  ) {}

  start(): void {
    this.abort = new AbortController();
    this.running = this.run().catch((error: unknown) => {
      this.logger.error({ msg: 'analyst worker crashed; verdicts stop until restart', err: error });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.stop();
    await this.running;
    await this.checkpoint?.flush();
    await this.releaseLock();
  }

  private async run(): Promise<void> {
    await installSchema(this.transactions.dataSource, analystWorkerSchema);
    await this.acquireLock();
    if (this.abort.signal.aborted) return;

    this.logger.log({ msg: 'analyst worker active', analyst: this.analyst.name });
    this.subscribe(await this.storedCheckpoint());
  }

  private subscribe(after: GlobalCheckpoint): void {
    // A stop during start found no subscription to stop: start none after it.
    if (this.abort.signal.aborted) return;
    // Batches without an opened incident move the checkpoint lazily: replaying
    // them changes nothing, and a verdict stores its own in its transaction.
    const checkpoint = new DeferredCheckpoint(
      {
        delayMs: CHECKPOINT_WRITE_DELAY_MS,
        write: (position, previous) =>
          this.transactions.dataSource.query(
            `UPDATE analyst_worker.checkpoints SET position = $2, updated_at = now()
              WHERE name = $1 AND position = $3`,
            [WORKER, position, previous],
          ),
        onError: (error) => this.logger.warn({ msg: 'could not store a checkpoint', err: error }),
      },
      after,
    );
    this.checkpoint = checkpoint;
    this.subscription = this.store.subscribeToAll({
      after,
      filter: { eventTypes: ['IncidentOpened'], streamPrefixes: ['incident-'] },
      batchSize: 50,
      handle: async (batch) => {
        for (const event of batch.events) {
          if (this.abort.signal.aborted) return;
          await this.handle(event);
        }
        if (!this.abort.signal.aborted) checkpoint.advance(batch.checkpoint);
      },
      onError: (error) => void this.restart(error),
    });
  }

  /** A failure to write (database down) stops the subscription: resume from the checkpoint. */
  private async restart(error: unknown): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.logger.error({
      msg: 'analyst subscription failed; resuming from its checkpoint',
      err: error,
    });
    await sleep(RESTART_DELAY_MS, this.abort.signal);
    if (!this.abort.signal.aborted) this.subscribe(await this.storedCheckpoint());
  }

  private async handle(event: RecordedEvent): Promise<AnalysisOutcome> {
    const opened = event.data as IncidentOpenedData;
    await this.waitForReadModels(event.position);
    if (this.abort.signal.aborted) return 'stopped';

    const verdict = await this.verdictFor(opened);
    const context = CommandContexts.system(WORKER, event.eventId, event.metadata.correlationId);
    const recorded = await CommandContexts.run(context, () =>
      this.record(opened.incidentId, verdict, event.position),
    );

    const outcome: AnalysisOutcome = !recorded
      ? 'already-analyzed'
      : verdict.status === 'failed'
        ? 'failed'
        : 'analyzed';
    this.logger.log({
      msg: 'incident analysed',
      incidentId: opened.incidentId,
      outcome,
      topCause: verdict.probableCauses[0]?.kind ?? null,
    });
    return outcome;
  }

  /**
   * Appends the verdict and moves the checkpoint in one transaction; a
   * responder's change landing at the same instant is a conflict to retry.
   * False when the incident already had a verdict.
   */
  private async record(
    incidentId: string,
    verdict: IncidentVerdict,
    position: string,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const recorded = await this.transactions.run(async () => {
          const produced = CommandContexts.current()?.produced ?? [];
          const before = produced.length;
          await this.incidents.recordAnalysis(incidentId, verdict);
          await this.saveCheckpoint(position);
          return produced.length > before;
        });
        this.checkpoint?.storedBy(position);
        return recorded;
      } catch (error) {
        const conflict = error instanceof DomainError && error.code === 'concurrency';
        if (!conflict || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /**
   * A transient analyst failure (RetriableError) is retried with backoff; any
   * other, or the last, becomes a `failed` verdict that says why, so the API
   * stops answering "pending". Failures to read the models are thrown: the
   * subscription resumes from the checkpoint.
   */
  private async verdictFor(opened: IncidentOpenedData): Promise<IncidentVerdict> {
    const context = await this.builder.build(opened);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.analyst.analyze(context);
      } catch (error) {
        const retry = isRetriable(error) && attempt < ATTEMPTS && !this.abort.signal.aborted;
        this.logger.warn({
          msg: retry ? 'analysis failed; retrying' : 'analysis failed; storing a failed verdict',
          incidentId: opened.incidentId,
          attempt,
          err: error,
        });
        if (!retry) return this.failedVerdict(error);
        await sleep(500 * 2 ** (attempt - 1), this.abort.signal);
      }
    }
  }

  private failedVerdict(error: unknown): IncidentVerdict {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      status: 'failed',
      summary: `The ${this.analyst.name} analyst could not produce a verdict: ${reason}`,
      probableCauses: [],
      suggestedActions: [],
      similarIncidents: [],
      analyst: { name: this.analyst.name, version: this.analyst.version },
      lookbackMinutes: 0,
      failure: reason,
    };
  }

  /** The verdict reads the graph and incidents: both must include all before the incident. */
  private async waitForReadModels(position: string): Promise<void> {
    while (!this.abort.signal.aborted) {
      const current = await this.projections.waitForPosition(position, {
        projections: READ_MODELS.filter((name) => this.projections.names().includes(name)),
        timeoutMs: 10_000,
      });
      if (current) return;
      this.logger.warn({
        msg: 'read models behind the incident; waiting before analysing',
        position,
      });
    }
  }

  private async storedCheckpoint(): Promise<GlobalCheckpoint> {
    const [row]: Array<{ position: string }> = await this.transactions.dataSource.query(
      `INSERT INTO analyst_worker.checkpoints (name) VALUES ($1)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING position`,
      [WORKER],
    );
    return row.position;
  }

  private async saveCheckpoint(position: GlobalCheckpoint): Promise<void> {
    await this.transactions
      .current()
      .query(
        `UPDATE analyst_worker.checkpoints SET position = $2, updated_at = now() WHERE name = $1`,
        [WORKER, position],
      );
  }

  private async acquireLock(): Promise<void> {
    const key = advisoryKey(`worker:${WORKER}`);
    this.lockConnection = this.transactions.dataSource.createQueryRunner();
    await this.lockConnection.connect();

    let announced = false;
    while (!this.abort.signal.aborted) {
      const [{ locked }] = await this.lockConnection.query(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [key],
      );
      if (locked) return;
      if (!announced) this.logger.log({ msg: 'analyst active elsewhere; standing by' });
      announced = true;
      await sleep(STANDBY_POLL_MS, this.abort.signal);
    }
  }

  private async releaseLock(): Promise<void> {
    const connection = this.lockConnection;
    this.lockConnection = undefined;
    if (!connection || connection.isReleased) return;
    // The session returns to the pool, so the lock must be dropped explicitly.
    await connection
      .query('SELECT pg_advisory_unlock($1)', [advisoryKey(`worker:${WORKER}`)])
      .catch(() => undefined);
    await connection.release().catch(() => undefined);
  }
}
