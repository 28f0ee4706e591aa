import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { installSchema } from '@observe/database';
import { EventStore, GlobalCheckpoint, matchesFilter } from '@observe/event-store';

import { Projection, ProjectionStatus } from './projection';
import { projectionCheckpointsSchema } from './projection-checkpoints.schema';
import { ProjectionWorker, ProjectionWorkerOptions } from './projection-worker';

export interface ProjectionRunnerOptions extends Partial<ProjectionWorkerOptions> {
  /** False in processes that only read (an API behind a separate projector). */
  run: boolean;
}

const DEFAULTS: ProjectionWorkerOptions = {
  maxRetries: 5,
  retryDelayMs: 100,
  batchSize: 500,
  standbyPollMs: 2_000,
};

/**
 * Knows every projection of the process. Runs them when asked to, and lets a
 * command wait until its own events are visible in the read models.
 */
export class ProjectionRunner {
  private readonly logger = new Logger(ProjectionRunner.name);
  private readonly projections = new Map<string, Projection>();
  private readonly workers = new Map<string, ProjectionWorker>();
  private readonly workerOptions: ProjectionWorkerOptions;
  private started = false;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.workerOptions = { ...DEFAULTS, ...options };
  }

  register(projection: Projection): void {
    if (this.projections.has(projection.name)) {
      throw new Error(`two projections are named ${projection.name}`);
    }
    if (!projection.writes === !projection.apply) {
      throw new Error(`projection ${projection.name} needs either writes or apply`);
    }
    this.projections.set(projection.name, projection);
    if (this.started && this.options.run) this.startWorker(projection);
  }

  names(): string[] {
    return [...this.projections.keys()].sort();
  }

  async start(): Promise<void> {
    await installSchema(this.dataSource, projectionCheckpointsSchema);
    for (const projection of this.projections.values()) {
      await installSchema(this.dataSource, projection.schema);
    }
    this.started = true;
    if (!this.options.run) return;

    for (const projection of this.projections.values()) this.startWorker(projection);
    this.logger.log({ msg: 'projections started', projections: this.names() });
  }

  private startWorker(projection: Projection): void {
    const worker = new ProjectionWorker(
      projection,
      this.store,
      this.dataSource,
      this.workerOptions,
    );
    this.workers.set(projection.name, worker);
    worker.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
  }

  /** Rebuilds here when this process runs it; else asks the process that does. */
  async rebuild(name: string): Promise<'rebuilding' | 'requested'> {
    if (!this.projections.has(name)) throw new Error(`no projection named ${name}`);

    const worker = this.workers.get(name);
    if (worker && worker.state === 'running') {
      await worker.rebuild();
      return 'rebuilding';
    }
    await this.dataSource.query(
      `INSERT INTO projections.checkpoints (name, rebuild_requested) VALUES ($1, true)
       ON CONFLICT (name) DO UPDATE SET rebuild_requested = true, updated_at = now()`,
      [name],
    );
    return 'requested';
  }

  async statuses(): Promise<ProjectionStatus[]> {
    // States first: a worker records a halt in the table before it says so in
    // memory, so a table read after this never misses the halt's details.
    const states = new Map([...this.workers].map(([name, worker]) => [name, worker.state]));
    const rows: Array<{
      name: string;
      position: string;
      state: string;
      last_error: string | null;
      failed_event_id: string | null;
      updated_at: Date;
    }> = await this.dataSource.query(
      `SELECT name, position, state, last_error, failed_event_id, updated_at
         FROM projections.checkpoints WHERE name = ANY($1) ORDER BY name`,
      [this.names()],
    );
    const stored = new Map(rows.map((row) => [row.name, row]));
    return this.names().map((name) => {
      const row = stored.get(name);
      return {
        name,
        state: states.get(name) ?? (row?.state === 'halted' ? 'halted' : 'stopped'),
        position: row?.position ?? 'start',
        lastError: row?.last_error ?? undefined,
        failedEventId: row?.failed_event_id ?? undefined,
        updatedAt: row?.updated_at.toISOString(),
      };
    });
  }

  /**
   * Read-your-writes: resolves true once every named (default: every running)
   * projection has passed `position`, false on timeout. Halted ones are skipped.
   */
  async waitForPosition(
    position: GlobalCheckpoint,
    options: { projections?: string[]; timeoutMs?: number } = {},
  ): Promise<boolean> {
    const names = options.projections ?? this.names();
    const deadline = Date.now() + (options.timeoutMs ?? 5_000);

    for (;;) {
      const { pending: behind, elsewhere } = this.localPending(position, names);
      const pending =
        elsewhere.length === 0
          ? behind
          : [...behind, ...(await this.remotePending(position, elsewhere))];
      if (pending.length === 0) return true;
      if (Date.now() >= deadline) return false;

      // A local worker wakes this reader when it passes the position; the
      // bound only makes sure a halt or a stop is seen soon.
      const local = pending.map((name) => this.workers.get(name)).find((worker) => worker);
      if (local) await local.waitUntilPassed(position, 50);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Read-your-writes for a command: waits only for the projections whose
   * filter takes at least one of these events.
   */
  async waitForEvents(
    events: Array<{ type: string; streamId: string; position: string }>,
    timeoutMs = 5_000,
  ): Promise<boolean> {
    const last = events[events.length - 1];
    if (!last) return true;

    // Projections of this process pass every position, matching or not, in
    // memory: waiting for them too makes the events visible to every reader
    // of the stream (the audit trail included) before the command answers.
    const projections: string[] = [];
    for (const [name, projection] of this.projections) {
      const local = this.workers.get(name)?.state === 'running';
      if (local || events.some((event) => matchesFilter(event, projection.filter))) {
        projections.push(name);
      }
    }
    if (projections.length === 0) return true;
    return this.waitForPosition(last.position, { projections, timeoutMs });
  }

  /**
   * The projections this process runs that are still behind `position`, and
   * those it does not run. A worker standing by (another process holds the
   * projection) knows nothing current: it counts as not run here.
   */
  private localPending(
    position: GlobalCheckpoint,
    names: string[],
  ): { pending: string[]; elsewhere: string[] } {
    const pending: string[] = [];
    const elsewhere: string[] = [];
    for (const name of names) {
      const worker = this.workers.get(name);
      if (worker?.state !== 'running') elsewhere.push(name);
      else if (this.store.comparePositions(worker.position, position) < 0) pending.push(name);
    }
    return { pending, elsewhere };
  }

  /** Of projections run elsewhere, those whose stored checkpoint is behind and not halted. */
  private async remotePending(position: GlobalCheckpoint, names: string[]): Promise<string[]> {
    const rows: Array<{ name: string; position: string; state: string }> =
      await this.dataSource.query(
        `SELECT name, position, state FROM projections.checkpoints WHERE name = ANY($1)`,
        [names],
      );
    const stored = new Map(rows.map((row) => [row.name, row]));
    return names.filter((name) => {
      const current = stored.get(name);
      if (!current) return true;
      if (current.state === 'halted') return false;
      return this.store.comparePositions(current.position, position) < 0;
    });
  }
}
