/**
 * Benchmark workloads, generated deterministically from a seed: a small PRNG, and lines of NDJSON held
 * in one buffer (what a benchmark hands to the engine or to workers).
 */

/** A small fast PRNG (mulberry32): the same seed gives the same events. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const hex = (n: number) => {
    let s = '';
    while (s.length < n) s += int(0x10000).toString(16).padStart(4, '0');
    return s.slice(0, n).toUpperCase();
  };
  const guid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  return { next, int, pick, hex, guid };
}
export type Rng = ReturnType<typeof rng>;

/** Lines of NDJSON in one buffer, with where each line starts and ends and an optional partition key. */
export interface EventSet {
  buf: Buffer;
  /** starts[i], ends[i]: line i is buf[starts[i], ends[i]). */
  starts: Uint32Array;
  ends: Uint32Array;
  keys: string[] | null;
  /** Lines copied from matching events (regression data, rule test events). */
  planted: number;
}

export function toEventSet(lines: string[], keys: string[] | null, planted: number): EventSet {
  const buf = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const starts = new Uint32Array(lines.length);
  const ends = new Uint32Array(lines.length);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    const end = buf.indexOf(0x0a, at);
    starts[i] = at;
    ends[i] = end;
    at = end + 1;
  }
  return { buf, starts, ends, keys, planted };
}
