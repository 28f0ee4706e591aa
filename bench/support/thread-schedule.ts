import { readFileSync } from 'node:fs';

/** How a thread spent its time, in milliseconds: on a CPU, or ready to run and waiting for one. */
export interface ThreadSchedule {
  runningMs: number;
  waitingMs: number;
}

/**
 * The scheduler's account of a process's main thread (the one that runs its
 * JavaScript), from /proc/<pid>/task/<pid>/schedstat. Undefined off Linux or
 * when the kernel keeps no such account: callers then print nothing.
 */
export function readMainThreadSchedule(pid: number | undefined): ThreadSchedule | undefined {
  if (pid === undefined) return undefined;
  try {
    const [running, waiting] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
      .trim()
      .split(' ')
      .map(Number);
    if (!Number.isFinite(running) || !Number.isFinite(waiting)) return undefined;
    return { runningMs: running / 1e6, waitingMs: waiting / 1e6 };
  } catch {
    return undefined;
  }
}

export function scheduleSpent(
  before: ThreadSchedule | undefined,
  after: ThreadSchedule | undefined,
): ThreadSchedule | undefined {
  if (!before || !after) return undefined;
  return {
    runningMs: after.runningMs - before.runningMs,
    waitingMs: after.waitingMs - before.waitingMs,
  };
}
