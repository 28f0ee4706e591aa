import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '..', '..');
const brokerScript = join(repoRoot, 'scripts', 'kafka', 'kafka-broker.mjs');
// Shared with `npm run kafka:start`: the classpath is resolved once per pom.
const classpathCache = join(repoRoot, '.kafka');

/**
 * Kafka for the suite, in global setup. OBSERVE_TEST_KAFKA=off: none, and
 * tests that need Kafka skip. KAFKA_BROKERS given: those brokers. Otherwise
 * a broker of our own on free ports with its data under `root`, stopped in
 * teardown (or by its watchdog, should this process die first). Tests read
 * the broker list from TEST_KAFKA_BROKERS.
 */
export async function startKafkaForTests(root: string): Promise<void> {
  if (process.env.OBSERVE_TEST_KAFKA === 'off') return;

  if (process.env.KAFKA_BROKERS) {
    process.env.TEST_KAFKA_BROKERS = process.env.KAFKA_BROKERS;
    return;
  }

  // Imported here, not at the top: only global setup runs on Node's own loader,
  // which can load the ES module; test files that import this file never get here.
  const { startBroker } = await import('../../scripts/kafka/kafka-broker.mjs');
  const dataDir = join(root, 'kafka');
  const broker = await startBroker({ dataDir, cacheDir: classpathCache, watchPid: process.pid });
  process.env.TEST_KAFKA_BROKERS = broker.brokers;

  globalThis.__observeStopKafka = async () => {
    // The data is thrown away, so there is nothing to shut down cleanly.
    await broker.stop({ timeoutMs: 0 });
    await rm(dataDir, { recursive: true, force: true });
  };
}

/** A broker one test file owns, to take down and bring back (an outage). */
export interface DedicatedKafka {
  /** `host:port`, stable across stop and start. */
  readonly brokers: string;
  /** Stops the broker, keeping its data; abruptly (SIGKILL) unless graceful. */
  stop(options?: { graceful?: boolean }): Promise<void>;
  /** Starts it again on the same ports with the same data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

async function brokerCli(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [brokerScript, ...args], { maxBuffer: 1 << 20 });
  return stdout;
}

/**
 * Starts a broker for one test file, apart from the suite's shared one, so a
 * test can stop it without failing tests that run beside it. Goes through
 * the script's CLI: test files run inside jest's module system, which cannot
 * load the script's ES module.
 */
export async function startDedicatedKafka(): Promise<DedicatedKafka> {
  const dataDir = await mkdtemp(join(tmpdir(), 'observe-kafka-'));
  const start = async (): Promise<string> => {
    const ports = ['--port', '0', '--controller-port', '0'];
    const owner = ['--cache-dir', classpathCache, '--watch-pid', `${process.pid}`];
    const output = await brokerCli(['start', '--json', '--data-dir', dataDir, ...ports, ...owner]);
    const state: unknown = JSON.parse(output);
    if (typeof state !== 'object' || state === null || !('brokers' in state)) {
      throw new Error(`the broker script answered ${output}`);
    }
    return String(state.brokers);
  };
  const stop = async (options: { graceful?: boolean } = {}): Promise<void> => {
    const graceMs = options.graceful ? '20000' : '0';
    await brokerCli(['stop', '--data-dir', dataDir, '--timeout-ms', graceMs]);
  };

  const brokers = await start();
  return {
    brokers,
    stop,
    start: async () => {
      await start();
    },
    destroy: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
