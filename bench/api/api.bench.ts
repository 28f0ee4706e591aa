import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { openBenchDatabase, percentile } from '../support/bench-database';
import { CpuTimes, cpuSpent, readProcessCpu } from '../support/process-cpu';
import { readMainThreadSchedule, scheduleSpent, ThreadSchedule } from '../support/thread-schedule';

/**
 * A representative agent mutation (an incident update through scopes,
 * idempotency, the daily cap, agent metadata, the event store and read-your-
 * writes) beside a bare route on the same server that does one INSERT.
 * The server runs in its own process; this one only generates load.
 */
const CLIENTS = 16;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4_000);
/**
 * Each route's requests run in rounds that take turns with the other's, so
 * a change in the host's speed during the run weighs on both alike.
 */
const ROUNDS = 4;

interface Phase {
  name: string;
  throughput: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU milliseconds per request, per group of processes. */
  cpuPerRequest: CpuTimes;
  /** Shares of the phase the server's JavaScript thread ran, and waited for a CPU. */
  serverThread?: { running: number; waiting: number };
}

interface Round {
  latencies: number[];
  elapsed: number;
  errors: number;
  cpu: CpuTimes;
  serverThread?: ThreadSchedule;
}

/** Where the CPU goes: the server, the PostgreSQL processes, this load generator. */
function processGroup(commandLine: string): string | undefined {
  if (commandLine.includes('bench-server.js')) return 'server';
  if (commandLine.startsWith('postgres') || commandLine.includes('/bin/postgres'))
    return 'database';
  if (commandLine.includes('api.bench.js')) return 'load generator';
  return undefined;
}

async function startServer(databaseUrl: string) {
  // Node flags for the server alone, to profile it: BENCH_SERVER_ARGS="--cpu-prof".
  const nodeArgs = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'bench-server.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const { url, token } = JSON.parse(first) as { url: string; token: string };
  return { url, token, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function load(
  requests: number,
  serverPid: number | undefined,
  request: (client: number, index: number) => Promise<number>,
): Promise<Round> {
  const latencies: number[] = [];
  let errors = 0;
  const perClient = Math.floor(requests / CLIENTS);
  const cpuBefore = readProcessCpu(processGroup);
  const scheduleBefore = readMainThreadSchedule(serverPid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let index = 0; index < perClient; index += 1) {
        const begin = performance.now();
        const status = await request(client, index);
        latencies.push(performance.now() - begin);
        if (status >= 300) errors += 1;
      }
    }),
  );
  const elapsed = performance.now() - started;
  return {
    latencies,
    elapsed,
    errors,
    cpu: cpuSpent(cpuBefore, readProcessCpu(processGroup)),
    serverThread: scheduleSpent(scheduleBefore, readMainThreadSchedule(serverPid)),
  };
}

function summarize(name: string, rounds: Round[]): Phase {
  const latencies = rounds.flatMap((round) => round.latencies).sort((a, b) => a - b);
  const elapsed = rounds.reduce((sum, round) => sum + round.elapsed, 0);
  const cpuPerRequest: CpuTimes = {};
  for (const round of rounds) {
    for (const [group, ms] of Object.entries(round.cpu)) {
      cpuPerRequest[group] = (cpuPerRequest[group] ?? 0) + ms / latencies.length;
    }
  }
  const schedules = rounds.map((round) => round.serverThread);
  const serverThread = schedules.every((schedule) => schedule !== undefined)
    ? {
        running: schedules.reduce((sum, schedule) => sum + schedule.runningMs, 0) / elapsed,
        waiting: schedules.reduce((sum, schedule) => sum + schedule.waitingMs, 0) / elapsed,
      }
    : undefined;
  return {
    name,
    throughput: (latencies.length / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    cpuPerRequest,
    serverThread,
  };
}

async function main(): Promise<void> {
  const database = await openBenchDatabase(55498);
  const server = await startServer(database.url);
  const admin = { Authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };

  try {
    await call(`${server.url}/api/v1/context/teams`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ id: 'payments', name: 'Payments', members: [{ id: 'ana' }] }),
    });
    await call(`${server.url}/api/v1/context/services`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ id: 'checkout', name: 'Checkout', ownerTeam: 'payments', tier: 1 }),
    });
    const minted = await call(`${server.url}/api/v1/me/tokens`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        name: 'bench-agent',
        scopes: ['incidents:read', 'incidents:write'],
        dailyMutationLimit: 1_000_000,
      }),
    });
    const agentToken = (minted.body as { token: string }).token;
    const agent = (key: string) => ({
      Authorization: `Bearer ${agentToken}`,
      'content-type': 'application/json',
      'Idempotency-Key': key,
      'X-Agent-Id': 'bench-agent',
      'X-Conversation-Id': 'bench-run',
    });
    const incidents: string[] = [];
    for (let client = 0; client < CLIENTS; client += 1) {
      const opened = await call(`${server.url}/api/v1/incidents`, {
        method: 'POST',
        headers: agent(randomUUID()),
        body: JSON.stringify({
          title: `bench ${client}`,
          severity: 'warning',
          service: 'checkout',
        }),
      });
      if (opened.status !== 201)
        throw new Error(`cannot open incident: ${JSON.stringify(opened.body)}`);
      incidents.push((opened.body as { id: string }).id);
    }
    const update = { message: 'Checked the deploy; rolling back.', links: [] };

    const bare = (client: number, index: number) =>
      fetch(`${server.url}/bench/bare`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...update, client, index }),
      }).then(async (response) => (await response.arrayBuffer(), response.status));
    const guarded = (client: number) =>
      fetch(`${server.url}/api/v1/incidents/${incidents[client]}/updates`, {
        method: 'POST',
        headers: agent(randomUUID()),
        body: JSON.stringify(update),
      }).then(async (response) => (await response.arrayBuffer(), response.status));

    await load(REQUESTS, server.pid, bare);
    await load(REQUESTS, server.pid, guarded);
    const bareRounds: Round[] = [];
    const guardedRounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      bareRounds.push(await load(REQUESTS / ROUNDS, server.pid, bare));
      guardedRounds.push(await load(REQUESTS / ROUNDS, server.pid, guarded));
    }
    const baseline = summarize('bare route (1 INSERT)', bareRounds);
    const ours = summarize('incident update (full stack)', guardedRounds);

    for (const phase of [baseline, ours]) {
      console.log(
        `${phase.name.padEnd(30)} ${phase.throughput.toFixed(0).padStart(6)} req/s   ` +
          `p50 ${phase.p50.toFixed(1).padStart(6)} ms   p99 ${phase.p99.toFixed(1).padStart(6)} ms` +
          `   errors ${phase.errors}`,
      );
    }
    for (const phase of [baseline, ours]) {
      const cpu = Object.entries(phase.cpuPerRequest)
        .map(([group, ms]) => `${group} ${ms.toFixed(2)}`)
        .join('   ');
      if (cpu) console.log(`${phase.name.padEnd(30)} CPU ms per request: ${cpu}`);
    }
    for (const phase of [baseline, ours]) {
      if (!phase.serverThread) continue;
      const { running, waiting } = phase.serverThread;
      console.log(
        `${phase.name.padEnd(30)} server JavaScript thread: running ${percent(running)}, ` +
          `ready but waiting for a CPU ${percent(waiting)} of the phase`,
      );
    }
    const bareCost = totalCpuPerRequest(baseline);
    const ourCost = totalCpuPerRequest(ours);
    if (bareCost > 0 && ourCost > 0) {
      console.log(
        `CPU per request, all processes: ${bareCost.toFixed(2)} ms bare, ` +
          `${ourCost.toFixed(2)} ms full stack; with all ${cpus().length} cores busy the ` +
          `throughput ratio can reach at most ${percent(bareCost / ourCost)}`,
      );
    }
    const ratio = ours.throughput / baseline.throughput;
    const tail = ours.p99 / baseline.p99;
    const rate = (round: Round) => round.latencies.length / round.elapsed;
    const perRound = guardedRounds.map((round, index) => rate(round) / rate(bareRounds[index]));
    console.log(
      `throughput ratio ${percent(ratio)} (target >= 40%)   ` +
        `p99 ratio ${tail.toFixed(2)}x (target <= 3x)   ` +
        `${CLIENTS} clients, ${REQUESTS} requests each in ${ROUNDS} rounds taking turns`,
    );
    console.log(`throughput ratio per round: ${perRound.map(percent).join(' ')}`);
  } finally {
    server.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await database.stop();
  }
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

/**
 * Server, database and load generator share this machine's cores. With every
 * core busy, a route's throughput is the cores over its CPU per request, so
 * the two routes' CPU costs bound the ratio of their throughputs.
 */
function totalCpuPerRequest(phase: Phase): number {
  return Object.values(phase.cpuPerRequest).reduce((sum, ms) => sum + ms, 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
