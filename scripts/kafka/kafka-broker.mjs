#!/usr/bin/env node
/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one JVM)
 * for development and tests, with no Docker: the jars come from Maven Central
 * through ./pom.xml, which pins the version.
 *
 *   node scripts/kafka/kafka-broker.mjs start [--port 9092] [--controller-port 9093]
 *                                             [--data-dir .kafka] [--partitions 3] [--json]
 *   node scripts/kafka/kafka-broker.mjs stop|status [--data-dir .kafka] [--json]
 *
 * Importable too: startBroker, stopBroker, brokerStatus, resolveClasspath.
 * The broker's own log goes to <data-dir>/broker.log, never to the console.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const scriptFile = fileURLToPath(import.meta.url);

export const DEFAULT_POM = join(dirname(scriptFile), 'pom.xml');
export const DEFAULT_DATA_DIR = '.kafka';
export const DEFAULT_PORT = 9092;
export const DEFAULT_CONTROLLER_PORT = 9093;

const PID_FILE = 'broker.pid';
const STATE_FILE = 'broker.json';
const LOG_FILE = 'broker.log';

const pause = (ms) => new Promise((wake) => setTimeout(wake, ms));

/**
 * Resolves the broker's classpath with Maven, cached in `cacheDir` under the
 * hash of the pom, so a changed pin resolves again and an unchanged one costs
 * nothing. A cache whose jars have vanished (a cleaned ~/.m2) is ignored.
 */
export async function resolveClasspath({ pomFile = DEFAULT_POM, cacheDir }) {
  const hash = createHash('sha256')
    .update(await readFile(pomFile))
    .digest('hex');
  const file = join(cacheDir, `classpath-${hash.slice(0, 16)}.txt`);

  const cached = existsSync(file) ? (await readFile(file, 'utf8')).trim() : '';
  if (cached && cached.split(':').every((jar) => existsSync(jar))) return cached;

  await mkdir(cacheDir, { recursive: true });
  // A unique name, then a rename: concurrent runs never read a half-written file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const goal = ['dependency:build-classpath', `-Dmdep.outputFile=${partial}`];
  try {
    await run('mvn', ['-q', '-B', '-f', pomFile, ...goal], { maxBuffer: 16 << 20 });
  } catch (error) {
    const detail =
      error.code === 'ENOENT' ? 'mvn is not on PATH' : `${error.stdout}${error.stderr}`;
    throw new Error(`could not resolve the Kafka jars with Maven: ${detail.trim()}`);
  }
  await rename(partial, file);
  return (await readFile(file, 'utf8')).trim();
}

/** The version the pom pins, for logs and status. */
export function pinnedVersion(pomFile = DEFAULT_POM) {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(pomFile, 'utf8'));
  return match ? match[1] : 'unknown';
}

function listenOn(port) {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function findFreePort() {
  return listenOn(0);
}

function portIsFree(port) {
  return listenOn(port).then(
    () => true,
    () => false,
  );
}

function serverProperties({ dataDir, port, controllerPort, partitions }) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(dataDir, 'logs')}`,
    `num.partitions=${partitions}`,
    'auto.create.topics.enable=true',
    'group.initial.rebalance.delay.ms=0',
    // After a hard kill the controller refuses the restarted broker until the
    // old registration's session expires (9 s by default): keep that short.
    'broker.heartbeat.interval.ms=500',
    'broker.session.timeout.ms=2500',
    // One node: every internal topic has one replica, and few partitions keep
    // their creation (on the first consumer group or producer id) quick.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=5',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=5',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'num.network.threads=2',
    'num.io.threads=4',
    'num.recovery.threads.per.data.dir=1',
    '',
  ].join('\n');
}

/**
 * A class-data archive of the broker's jars, dumped by the first format and
 * mapped by every later JVM: about a third off each start on two cores. An
 * archive the JVM cannot use (another JDK) is ignored by it, not fatal.
 */
function classArchive(classpath, cacheDir) {
  const hash = createHash('sha256').update(classpath).digest('hex').slice(0, 16);
  return join(cacheDir, `classes-${hash}.jsa`);
}

function jvmArgs({ classpath, heap, archive }) {
  return [
    ...(archive && existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`] : []),
    `-Xmx${heap}`,
    '-Xms64m',
    // Two cores: a serial collector and C1-only compilation start faster and
    // leave more CPU to the tests than G1 with the full JIT.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
    '-cp',
    classpath,
  ];
}

function randomClusterId() {
  // Kafka's Uuid text form: 16 random bytes in unpadded base64url. An id that
  // starts with '-' reads as an option on the command line, so draw again.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Formats the log directory on first use; answers the cluster id either way. */
async function formatOnce({ classpath, dataDir, propertiesFile, heap, archive }) {
  const metaFile = join(dataDir, 'logs', 'meta.properties');
  if (!existsSync(metaFile)) {
    // Without an archive yet, this short-lived JVM writes one as it exits
    // (under a unique name, then renamed, as runs may format side by side).
    const dump = existsSync(archive)
      ? undefined
      : `${archive}.${process.pid}.${randomBytes(4).toString('hex')}`;
    const format = ['kafka.tools.StorageTool', 'format', '--config', propertiesFile];
    const args = [
      ...(dump ? [`-XX:ArchiveClassesAtExit=${dump}`] : []),
      ...jvmArgs({ classpath, heap, archive }),
      ...format,
      '--cluster-id',
      randomClusterId(),
    ];
    try {
      await run('java', args, { maxBuffer: 16 << 20 });
    } catch (error) {
      throw new Error(`formatting ${dataDir} failed: ${`${error.stdout}${error.stderr}`.trim()}`);
    }
    if (dump && existsSync(dump)) await rename(dump, archive);
  }

  const match = /^cluster\.id=(.+)$/m.exec(await readFile(metaFile, 'utf8'));
  if (!match) throw new Error(`${metaFile} names no cluster id`);
  return match[1].trim();
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  // A zombie (exited, not yet reaped) still answers signal 0.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

/** True when `pid` is the broker of `dataDir`, not a process that reused its pid. */
function isOurBroker(pid, dataDir) {
  if (!isAlive(pid)) return false;

  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('kafka.Kafka') && args.includes(join(dataDir, 'server.properties'));
  } catch {
    // No /proc (not Linux): trust the pid file.
    return true;
  }
}

function readPid(dataDir) {
  const file = join(dataDir, PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function logTail(logFile, lines = 30) {
  if (!existsSync(logFile)) return '(no log)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Ready means the broker answers metadata with itself and a controller, and
 * its cluster id is ours: another broker on the port must not pass for it.
 */
async function waitUntilReady({ brokers, clusterId, child, logFile, timeoutMs }) {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    clientId: 'kafka-broker-script',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the broker exited during startup; its last log lines:\n${logTail(logFile)}`);
    }

    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.clusterId !== clusterId) {
        throw new Error(`${brokers} answers for another cluster (${cluster.clusterId})`);
      }
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (error) {
      // Not listening or not unfenced yet: ask again shortly.
      if (/another cluster/.test(error.message)) throw error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }

    if (Date.now() > deadline) {
      throw new Error(`the broker did not answer within ${timeoutMs} ms:\n${logTail(logFile)}`);
    }
    await pause(100);
  }
}

/**
 * Stops the broker once `watchPid` (the process that owns it) is gone, so a
 * test run that dies without its teardown leaves no JVM behind.
 */
function spawnWatchdog({ watchPid, brokerPid, dataDir }) {
  const args = ['watch', '--watch-pid', String(watchPid), '--broker-pid', String(brokerPid)];
  const watchdog = spawn(process.execPath, [scriptFile, ...args, '--data-dir', dataDir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

async function launch(settings) {
  const { classpath, archive, dataDir, port, controllerPort, partitions, heap, timeoutMs } =
    settings;
  const propertiesFile = join(dataDir, 'server.properties');
  const logFile = join(dataDir, LOG_FILE);
  await writeFile(propertiesFile, serverProperties({ dataDir, port, controllerPort, partitions }));
  const clusterId = await formatOnce({ classpath, dataDir, propertiesFile, heap, archive });

  const out = openSync(logFile, 'a');
  const args = [...jvmArgs({ classpath, heap, archive }), 'kafka.Kafka', propertiesFile];
  const child = spawn('java', args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  await writeFile(join(dataDir, PID_FILE), `${child.pid}\n`);

  const brokers = `127.0.0.1:${port}`;
  try {
    await waitUntilReady({ brokers, clusterId, child, logFile, timeoutMs });
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(join(dataDir, PID_FILE), { force: true });
    throw error;
  }
  return { pid: child.pid, brokers, clusterId, logFile };
}

async function choosePort(wanted) {
  if (wanted === undefined) return findFreePort();
  if (!(await portIsFree(wanted))) throw new Error(`port ${wanted} on 127.0.0.1 is already in use`);
  return wanted;
}

/**
 * Starts the broker and resolves once it serves metadata. Ports default to
 * those of the last start in `dataDir`, else to free ones (and a lost race
 * for a free port is retried on others). Throws when it already runs.
 *
 * Options: dataDir, port, controllerPort, partitions (default 3), heap
 * (default 512m), cacheDir (classpath cache; default dataDir), pomFile,
 * timeoutMs, watchPid (stop the broker when that process is gone).
 */
export async function startBroker(options = {}) {
  const startedAt = Date.now();
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const pomFile = options.pomFile ?? DEFAULT_POM;
  const partitions = options.partitions ?? 3;
  const heap = options.heap ?? '512m';
  const timeoutMs = options.timeoutMs ?? 60_000;
  await mkdir(dataDir, { recursive: true });

  const running = readPid(dataDir);
  if (running && isOurBroker(running, dataDir)) {
    throw new Error(`a broker already runs from ${dataDir} (pid ${running})`);
  }

  const previous = await lastState(dataDir);
  // Port 0 (like no port) means: the last start's, else any free one.
  const wantedPort = options.port || previous.port || undefined;
  const wantedControllerPort = options.controllerPort || previous.controllerPort || undefined;
  const cacheDir = options.cacheDir ?? dataDir;
  const classpath = await resolveClasspath({ pomFile, cacheDir });
  const archive = classArchive(classpath, cacheDir);

  for (let attempt = 1; ; attempt += 1) {
    const port = await choosePort(wantedPort);
    const controllerPort = await choosePort(wantedControllerPort);
    let launched;
    try {
      const settings = { dataDir, port, controllerPort, partitions, heap, timeoutMs };
      launched = await launch({ classpath, archive, ...settings });
    } catch (error) {
      const lostRace = /Address already in use/.test(String(error.message));
      const portsWereFree = wantedPort === undefined && wantedControllerPort === undefined;
      if (lostRace && portsWereFree && attempt < 3) continue;
      throw error;
    }

    const version = pinnedVersion(pomFile);
    const startMs = Date.now() - startedAt;
    const state = { ...launched, port, controllerPort, dataDir, version, startMs };
    await writeFile(join(dataDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
    if (options.watchPid) {
      spawnWatchdog({ watchPid: options.watchPid, brokerPid: launched.pid, dataDir });
    }
    return { ...state, stop: (stopOptions = {}) => stopBroker({ ...stopOptions, dataDir }) };
  }
}

/**
 * SIGTERM (a controlled shutdown), then SIGKILL after `timeoutMs`; a timeout
 * of 0 kills at once. Resolves to false when no broker was running.
 */
export async function stopBroker(options = {}) {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const pid = readPid(dataDir);
  if (!pid || !isOurBroker(pid, dataDir)) {
    await rm(join(dataDir, PID_FILE), { force: true });
    return false;
  }

  process.kill(pid, timeoutMs > 0 ? 'SIGTERM' : 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  let killed = timeoutMs <= 0;
  while (isAlive(pid)) {
    if (!killed && Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      killed = true;
    }
    await pause(50);
  }
  await rm(join(dataDir, PID_FILE), { force: true });
  return true;
}

/** What the last successful start in `dataDir` recorded (ports, pid, version), or {}. */
export async function lastState(dataDir = DEFAULT_DATA_DIR) {
  const file = join(resolve(dataDir), STATE_FILE);
  return existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : {};
}

export async function brokerStatus(options = {}) {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const pid = readPid(dataDir);
  if (pid === undefined || !isOurBroker(pid, dataDir)) return { running: false, dataDir };

  const { brokers, version, logFile } = await lastState(dataDir);
  return { running: true, pid, brokers, version, logFile, dataDir };
}

async function watch({ watchPid, brokerPid, dataDir }) {
  while (isAlive(watchPid) && isAlive(brokerPid)) await pause(1_000);
  if (readPid(dataDir) === brokerPid) await stopBroker({ dataDir, timeoutMs: 5_000 });
}

function parseFlags(argv) {
  const flags = {};
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index]
      .replace(/^--/, '')
      .replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
    const next = argv[index + 1];
    const isSwitch = next === undefined || next.startsWith('--');
    flags[name] = isSwitch ? true : next;
    if (!isSwitch) index += 1;
  }
  return flags;
}

function numberFlag(value) {
  return value === undefined ? undefined : Number.parseInt(value, 10);
}

async function main([command, ...rest]) {
  const flags = parseFlags(rest);
  const dataDir = flags.dataDir ?? DEFAULT_DATA_DIR;

  if (command === 'start') {
    // A developer's broker keeps well-known ports unless told otherwise.
    const previous = await lastState(dataDir);
    await startBroker({
      dataDir,
      port: numberFlag(flags.port) ?? previous.port ?? DEFAULT_PORT,
      controllerPort:
        numberFlag(flags.controllerPort) ?? previous.controllerPort ?? DEFAULT_CONTROLLER_PORT,
      partitions: numberFlag(flags.partitions),
      cacheDir: flags.cacheDir,
      watchPid: numberFlag(flags.watchPid),
    });
    const state = await lastState(dataDir);
    const summary = `Kafka ${state.version} up at ${state.brokers} in ${state.startMs} ms`;
    const line = `${summary} (pid ${state.pid}, log ${state.logFile})`;
    console.log(flags.json ? JSON.stringify(state) : line);
    return;
  }

  if (command === 'stop') {
    const stopped = await stopBroker({ dataDir, timeoutMs: numberFlag(flags.timeoutMs) });
    const line = stopped ? 'Kafka stopped' : 'Kafka was not running';
    console.log(flags.json ? JSON.stringify({ stopped }) : line);
    return;
  }

  if (command === 'status') {
    const status = await brokerStatus({ dataDir });
    const line = status.running
      ? `Kafka ${status.version} up at ${status.brokers}`
      : 'Kafka is not running';
    console.log(flags.json ? JSON.stringify(status) : line);
    process.exitCode = status.running ? 0 : 3;
    return;
  }

  if (command === 'watch') {
    const brokerPid = numberFlag(flags.brokerPid);
    await watch({ watchPid: numberFlag(flags.watchPid), brokerPid, dataDir: resolve(dataDir) });
    return;
  }

  console.error('usage: kafka-broker.mjs start|stop|status [--data-dir DIR] [--port N] [--json]');
  process.exitCode = 2;
}

if (process.argv[1] && resolve(process.argv[1]) === scriptFile) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
