import { mkdtempSync, chmodSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmbeddedPostgres } from '@observe/database';

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; else a throwaway embedded PostgreSQL. */
export async function openBenchDatabase(port = 55499): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, stop: async () => undefined };

  const root = mkdtempSync(join(tmpdir(), 'observe-bench-'));
  chmodSync(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: root, port, database: 'observe_bench' });
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export function formatRate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}
