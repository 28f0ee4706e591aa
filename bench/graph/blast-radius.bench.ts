import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';

import {
  BlastRadiusQuery,
  ContextGraphProjection,
  contextGraphSchema,
  NoOnCallLookup,
} from '@observe/context-graph';
import { SystemClock } from '@observe/core';
import { createDataSource, installSchema, Transactions } from '@observe/database';
import { RecordedEvent } from '@observe/event-store';

import { openBenchDatabase, percentile } from '../support/bench-database';

/**
 * Blast radius on a 2,000-service graph: 10 layers of 200 services, each
 * depending on 3 services of the layer below, plus 5% "back" dependencies on
 * a layer above that close cycles. Incidents sit on the bottom two layers, so
 * a depth-6 walk crosses 6 layers and meets cycles on the way. Measures the
 * whole answer (recursive CTE, owners, open incidents), beside a baseline in
 * the same run: one indexed SELECT of direct dependents.
 */
const SERVICES = 2_000;
const LAYERS = 10;
const DEPENDENCIES_PER_SERVICE = 3;
const BACK_EDGE_SHARE = 0.05;
const TEAMS = 40;
const ORIGINS = 50;
const WARM_UP = 50;
const RUNS = Number(process.env.BENCH_BLAST_RUNS ?? 1_000);
const DEPTH = 6;

/** A small deterministic PRNG, so every run measures the same graph. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let position = 0;
function recorded(type: string, streamId: string, data: Record<string, unknown>): RecordedEvent {
  position += 1;
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { kind: 'system', name: 'bench' },
      correlationId: 'bench',
      occurredAt: '2026-03-01T12:00:00.000Z',
    },
    streamId,
    revision: 0,
    position: `1-${position}`,
    recordedAt: '2026-03-01T12:00:00.000Z',
  };
}

export function graphEvents(): { events: RecordedEvent[]; incidents: string[]; backEdges: number } {
  const random = prng(24);
  const perLayer = SERVICES / LAYERS;
  const id = (layer: number, index: number) => `svc-${layer}-${index}`;
  const events: RecordedEvent[] = [];

  for (let team = 0; team < TEAMS; team += 1) {
    events.push(
      recorded('TeamRegistered', `team-team-${team}`, {
        teamId: `team-${team}`,
        name: `Team ${team}`,
        members: [{ id: `person-${team}`, name: null, email: null }],
      }),
    );
  }
  for (let layer = 0; layer < LAYERS; layer += 1) {
    for (let index = 0; index < perLayer; index += 1) {
      const serviceId = id(layer, index);
      events.push(
        recorded('ServiceRegistered', `service-${serviceId}`, {
          serviceId,
          name: serviceId,
          ownerTeam: `team-${(layer * perLayer + index) % TEAMS}`,
          tier: layer % 4,
        }),
      );
    }
  }

  let backEdges = 0;
  const declare = (from: string, to: string) =>
    events.push(recorded('DependencyDeclared', `service-${from}`, { from, to }));
  for (let layer = 1; layer < LAYERS; layer += 1) {
    for (let index = 0; index < perLayer; index += 1) {
      const targets = new Set<number>();
      while (targets.size < DEPENDENCIES_PER_SERVICE) targets.add(Math.floor(random() * perLayer));
      for (const target of targets) declare(id(layer, index), id(layer - 1, target));
    }
  }
  for (let layer = 0; layer < LAYERS - 2; layer += 1) {
    for (let index = 0; index < perLayer; index += 1) {
      if (random() >= BACK_EDGE_SHARE) continue;
      declare(id(layer, index), id(layer + 2, Math.floor(random() * perLayer)));
      backEdges += 1;
    }
  }

  const incidents: string[] = [];
  for (let origin = 0; origin < ORIGINS; origin += 1) {
    const incidentId = randomUUID();
    incidents.push(incidentId);
    events.push(
      recorded('IncidentOpened', `incident-${incidentId}`, {
        incidentId,
        service: id(origin % 2, Math.floor(random() * perLayer)),
        at: '2026-03-01T12:00:00.000Z',
        title: `incident ${origin}`,
        severity: 'error',
        kind: 'incident',
      }),
    );
  }
  return { events, incidents, backEdges };
}

async function timeRuns(runs: number, work: (run: number) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = process.hrtime.bigint();
    await work(run);
    durations.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return durations.sort((a, b) => a - b);
}

function line(label: string, durations: number[], extra = ''): string {
  const figures = [50, 95, 99].map((p) => `p${p} ${percentile(durations, p).toFixed(2)} ms`);
  return `${label.padEnd(34)} ${figures.join('  ')}${extra}`;
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const database = await openBenchDatabase(Number(process.env.BENCH_PORT ?? 55_497));
  const dataSource = await createDataSource(database.url, 10).initialize();
  await installSchema(dataSource, contextGraphSchema);
  const [{ server_version: version }] = await dataSource.query(`SHOW server_version`);

  const projection = new ContextGraphProjection();
  const { events, incidents, backEdges } = graphEvents();
  for (let start = 0; start < events.length; start += 500) {
    await dataSource.transaction((manager) =>
      projection.apply(events.slice(start, start + 500), manager),
    );
  }
  // Steady state, as a live graph would be: visibility map set, statistics current,
  // so autovacuum does not start in the middle of the measurement.
  await dataSource.query(`VACUUM ANALYZE context_graph.nodes, context_graph.edges`);
  await dataSource.query(`CHECKPOINT`);
  const [{ edges }] = await dataSource.query(
    `SELECT count(*)::int AS edges FROM context_graph.edges WHERE kind = 'depends_on'`,
  );

  const transactions = new Transactions(dataSource);
  const blast = new BlastRadiusQuery(transactions, new NoOnCallLookup(), new SystemClock());

  const sizes: number[] = [];
  const depths: number[] = [];
  let truncated = 0;
  await timeRuns(WARM_UP, (run) => blast.forIncident(incidents[run % incidents.length], DEPTH));
  const full = await timeRuns(RUNS, async (run) => {
    const answer = await blast.forIncident(incidents[run % incidents.length], DEPTH);
    if (run < incidents.length) {
      sizes.push(answer.impacted.length);
      depths.push(Math.max(0, ...answer.impacted.map((entry) => entry.depth)));
      if (answer.truncated) truncated += 1;
    }
  });

  const origins = await dataSource.query(
    `SELECT attributes->>'service' AS service FROM context_graph.nodes WHERE kind = 'incident'`,
  );
  const baseline = await timeRuns(RUNS, (run) =>
    dataSource.query(
      `SELECT from_id, evidence FROM context_graph.edges WHERE kind = 'depends_on' AND to_id = $1`,
      [origins[run % origins.length].service],
    ),
  );

  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  console.log(
    `PostgreSQL ${version}; ${SERVICES.toLocaleString('en-US')} services, ` +
      `${edges.toLocaleString('en-US')} depends_on edges (${backEdges} closing cycles), ` +
      `depth ${DEPTH}, ${RUNS.toLocaleString('en-US')} runs over ${ORIGINS} incidents`,
  );
  console.log(
    `impacted per incident: mean ${Math.round(mean(sizes))}, max ${Math.max(...sizes)}; ` +
      `deepest ${Math.max(...depths)}; cut at the depth limit: ${truncated}/${sizes.length}`,
  );
  const p99 = percentile(full, 99);
  console.log(
    line(
      'blast radius (full answer)',
      full,
      `  (target p99 <= 50 ms: ${p99 <= 50 ? 'met' : 'MISSED'})`,
    ),
  );
  console.log(line('baseline: direct dependents SELECT', baseline));

  await dataSource.destroy();
  await database.stop();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
