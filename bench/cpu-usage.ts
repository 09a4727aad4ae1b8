/**
 * CPU time of processes on this Linux machine, from /proc (utime + stime), to tell how many cores a
 * benchmark's processes kept busy: a second worker process can only add what the machine has left.
 */
import fs from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ: 100 on Linux for x86_64 and arm64

/** CPU seconds a process has used so far (user + system); NaN once it is gone or without /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** Pids whose command name (/proc/<pid>/comm) is `name` (e.g. nats-server, postgres). */
export function pidsNamed(name: string): number[] {
  let dirs: string[];
  try {
    dirs = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  return dirs
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Starts counting the CPU time of groups of pids; `cores()` gives each group's busy cores since then
 * (a process gone meanwhile counts nothing; processes started later, e.g. new PostgreSQL backends, are
 * not counted).
 */
export function cpuMeter(groups: Record<string, number[]>): { cores(): Record<string, number> } {
  const t0 = performance.now();
  const start = new Map<number, number>();
  for (const pids of Object.values(groups)) for (const p of pids) start.set(p, cpuSeconds(p));
  return {
    cores() {
      const s = (performance.now() - t0) / 1000;
      const out: Record<string, number> = {};
      let total = 0;
      for (const [k, pids] of Object.entries(groups)) {
        let used = 0;
        for (const p of pids) {
          const d = cpuSeconds(p) - start.get(p)!;
          if (Number.isFinite(d)) used += d;
        }
        out[k] = Number((used / s).toFixed(2));
        total += used / s;
      }
      out.total = Number(total.toFixed(2));
      return out;
    },
  };
}
