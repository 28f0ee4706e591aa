import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// dist/bench/webhooks → the repository root.
const repoRoot = resolve(__dirname, '..', '..', '..');
const brokerScript = join(repoRoot, 'scripts', 'kafka', 'kafka-broker.mjs');

export interface BenchKafka {
  brokers: string;
  stop(): Promise<void>;
}

/** KAFKA_BROKERS when set; else a throwaway broker from scripts/kafka (through its CLI). */
export async function openBenchKafka(): Promise<BenchKafka> {
  if (process.env.KAFKA_BROKERS)
    return { brokers: process.env.KAFKA_BROKERS, stop: async () => undefined };

  const dataDir = await mkdtemp(join(tmpdir(), 'observe-bench-kafka-'));
  const cli = (args: string[]) =>
    run(process.execPath, [brokerScript, ...args], { maxBuffer: 1 << 20 }).then(
      (out) => out.stdout,
    );
  const output = await cli([
    'start',
    '--json',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--controller-port',
    '0',
    '--cache-dir',
    join(repoRoot, '.kafka'),
    '--watch-pid',
    String(process.pid),
  ]);
  const state: unknown = JSON.parse(output);
  if (typeof state !== 'object' || state === null || !('brokers' in state)) {
    throw new Error(`the broker script answered ${output}`);
  }
  return {
    brokers: String(state.brokers),
    stop: async () => {
      await cli(['stop', '--data-dir', dataDir, '--timeout-ms', '0']);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
