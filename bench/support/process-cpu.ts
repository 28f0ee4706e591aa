import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user and system) in milliseconds, per group of processes. */
export type CpuTimes = Record<string, number>;

/** Linux counts process CPU in ticks of 1/100 s (USER_HZ). */
const TICK_MS = 10;

/**
 * Reads the CPU time of this machine's processes from /proc, grouped by a
 * function of each process's command line (undefined leaves it out). Off
 * Linux there is no /proc: the answer is empty and callers print nothing.
 */
export function readProcessCpu(groupOf: (commandLine: string) => string | undefined): CpuTimes {
  const times: CpuTimes = {};
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return times;
  }

  for (const pid of pids) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const group = groupOf(commandLine);
      if (!group) continue;

      // The fields after the command name (which may hold spaces) start at its ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      times[group] = (times[group] ?? 0) + ticks * TICK_MS;
    } catch {
      // The process ended while it was read.
    }
  }
  return times;
}

export function cpuSpent(before: CpuTimes, after: CpuTimes): CpuTimes {
  const spent: CpuTimes = {};
  for (const group of Object.keys(after)) spent[group] = after[group] - (before[group] ?? 0);
  return spent;
}
