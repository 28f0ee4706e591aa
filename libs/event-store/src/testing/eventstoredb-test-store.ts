import { spawnSync } from 'node:child_process';

import { EventStoreDbEventStore } from '../eventstoredb/eventstoredb-event-store';
import { UpcasterRegistry } from '../upcasters';
import { EventStoreUnderTest } from './event-store.contract';

/** KurrentDB LTS; EVENTSTORE_TEST_IMAGE picks another (e.g. `eventstore/eventstore:24.10`). */
const DEFAULT_IMAGE = 'kurrentplatform/kurrentdb:25.0';
const SERVER_PORT = 2113;
const DOCKER_PROBE_TIMEOUT_MS = 20_000;
const READY_TIMEOUT_MS = 60_000;

export type EventStoreDbTarget =
  | { kind: 'server'; connectionString: string }
  | { kind: 'container'; image: string }
  | { kind: 'unavailable'; reason: string };

export interface EventStoreDbTestStore extends EventStoreUnderTest {
  store: EventStoreDbEventStore;
  /** For tests that look at what the server holds, past the adapter. */
  connectionString: string;
  close(): Promise<void>;
}

/**
 * Where the contract runs: the server at EVENTSTORE_URL, else a throwaway
 * container when a Docker engine answers, else nowhere (and why). Decided
 * synchronously, because Jest registers (or skips) a suite synchronously.
 */
export function findEventStoreDbTarget(environment = process.env): EventStoreDbTarget {
  const url = environment.EVENTSTORE_URL?.trim();
  if (url) return { kind: 'server', connectionString: url };

  if (dockerEngineAnswers()) {
    return { kind: 'container', image: environment.EVENTSTORE_TEST_IMAGE ?? DEFAULT_IMAGE };
  }
  return {
    kind: 'unavailable',
    reason: 'EventStoreDB contract skipped: no EVENTSTORE_URL and no Docker engine',
  };
}

/**
 * Asks testcontainers itself, so every engine it can use counts (DOCKER_HOST,
 * rootless, Docker Desktop, ~/.testcontainers.properties). It runs in a child
 * process because the answer is asynchronous; its output is discarded.
 */
function dockerEngineAnswers(): boolean {
  const testcontainers = JSON.stringify(require.resolve('testcontainers'));
  const probe =
    `require(${testcontainers}).getContainerRuntimeClient()` +
    '.then(() => process.exit(0), () => process.exit(1))';

  const result = spawnSync(process.execPath, ['-e', probe], {
    stdio: 'ignore',
    timeout: DOCKER_PROBE_TIMEOUT_MS,
  });
  return result.status === 0;
}

export async function openEventStoreDbTestStore(
  target: Exclude<EventStoreDbTarget, { kind: 'unavailable' }>,
): Promise<EventStoreDbTestStore> {
  const server =
    target.kind === 'server'
      ? { connectionString: target.connectionString, stop: async () => undefined }
      : await startContainer(target.image);
  const upcasters = new UpcasterRegistry();
  const store = new EventStoreDbEventStore({
    connectionString: server.connectionString,
    upcasters,
  });
  await waitUntilReady(store);

  return {
    store,
    connectionString: server.connectionString,
    registerUpcaster: (type, fromVersion, upcast) =>
      upcasters.register({ type, fromVersion, upcast: (data) => upcast(data) as typeof data }),
    close: async () => {
      await store.close();
      await server.stop();
    },
  };
}

async function startContainer(
  image: string,
): Promise<{ connectionString: string; stop: () => Promise<void> }> {
  // Loaded only here: the skip path and the EVENTSTORE_URL path never need it.
  const { GenericContainer, Wait } = await import('testcontainers');

  const container = await new GenericContainer(image)
    .withEnvironment(serverSettings(image))
    .withExposedPorts(SERVER_PORT)
    .withWaitStrategy(
      Wait.forHttp('/health/live', SERVER_PORT).forStatusCodeMatching((status) => status < 300),
    )
    .withStartupTimeout(120_000)
    .start();

  const host = container.getHost();
  const port = container.getMappedPort(SERVER_PORT);
  return {
    connectionString: `esdb://${host}:${port}?tls=false`,
    stop: async () => {
      await container.stop();
    },
  };
}

/**
 * One insecure in-memory node without projections: what the contract needs,
 * and quick to start. KurrentDB reads KURRENTDB_*, EventStoreDB EVENTSTORE_*.
 */
function serverSettings(image: string): Record<string, string> {
  const prefix = /eventstore\//i.test(image) ? 'EVENTSTORE' : 'KURRENTDB';
  const settings: Record<string, string> = {
    CLUSTER_SIZE: '1',
    INSECURE: 'true',
    MEM_DB: 'true',
    RUN_PROJECTIONS: 'None',
    START_STANDARD_PROJECTIONS: 'false',
  };
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [`${prefix}_${name}`, value]),
  );
}

/** A live node may still be electing itself leader; reads work once it has. */
async function waitUntilReady(store: EventStoreDbEventStore): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await store.ping();
      return;
    } catch (error: unknown) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
