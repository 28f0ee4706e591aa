/** Types for kafka-broker.mjs, so TypeScript callers (the test setup) import it checked. */

export const DEFAULT_POM: string;
export const DEFAULT_DATA_DIR: string;
export const DEFAULT_PORT: number;
export const DEFAULT_CONTROLLER_PORT: number;

export interface StartBrokerOptions {
  /** Where the log directory, server.properties, pid and log file live (default `.kafka`). */
  dataDir?: string;
  /** PLAINTEXT port on 127.0.0.1; default: the last start's, else a free one. */
  port?: number;
  /** CONTROLLER port on 127.0.0.1; default: the last start's, else a free one. */
  controllerPort?: number;
  /** Partitions of auto-created topics (default 3). */
  partitions?: number;
  /** JVM maximum heap (default `512m`). */
  heap?: string;
  /** Where the resolved classpath is cached, keyed by the pom's hash (default dataDir). */
  cacheDir?: string;
  pomFile?: string;
  /** How long to wait for the broker to serve metadata (default 60 s). */
  timeoutMs?: number;
  /** Stop the broker when this process is gone. */
  watchPid?: number;
}

export interface StopBrokerOptions {
  dataDir?: string;
  /** Grace after SIGTERM before SIGKILL (default 20 s); 0 kills at once. */
  timeoutMs?: number;
}

export interface BrokerState {
  pid: number;
  /** `host:port` for a client's broker list. */
  brokers: string;
  clusterId: string;
  logFile: string;
  port: number;
  controllerPort: number;
  dataDir: string;
  version: string;
  /** Milliseconds from the call to a broker that serves metadata. */
  startMs: number;
}

export interface RunningBroker extends BrokerState {
  stop(options?: Omit<StopBrokerOptions, 'dataDir'>): Promise<boolean>;
}

export type BrokerStatus =
  | {
      running: true;
      pid: number;
      brokers: string;
      version: string;
      logFile: string;
      dataDir: string;
    }
  | { running: false; dataDir: string };

export function startBroker(options?: StartBrokerOptions): Promise<RunningBroker>;
export function stopBroker(options?: StopBrokerOptions): Promise<boolean>;
export function brokerStatus(options?: { dataDir?: string }): Promise<BrokerStatus>;
export function lastState(dataDir?: string): Promise<Partial<BrokerState>>;
export function resolveClasspath(options: { pomFile?: string; cacheDir: string }): Promise<string>;
export function pinnedVersion(pomFile?: string): string;
export function findFreePort(): Promise<number>;
