/**
 * Per-rule hit counters: taken from the pipeline and added to `rule_hits` every few seconds in one
 * relaxed transaction (counters write no audit entry), kept for the next flush when a write fails.
 */
import type { Store } from '../../platform/db/connect.js';
import type { DetectionPipeline, RuleHits } from './pipeline.js';
import { addHits, type RuleHitsRow } from './rule.repository.js';

export function createHitCounter(deps: {
  store: Store;
  pipeline: DetectionPipeline;
  known: () => ReadonlySet<string> | ReadonlyMap<string, unknown>;
  onError: (err: unknown, where: string) => void;
}) {
  const { store, pipeline } = deps;
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;
  /** Counts taken from the pipeline whose write failed: retried with the next flush. */
  const unflushed = new Map<string, RuleHitsRow>();
  /** Where matches are counted besides the pipeline (stage two's correlation partitions). */
  const others: (() => RuleHits)[] = [];

  /** Writes the counted matches to the store now. */
  async function flush(): Promise<void> {
    while (flushing) await flushing;
    const taken = [pipeline.takeHits(), ...others.map((take) => take())].flatMap((m) => [...m]);
    const known = taken.length ? deps.known() : null;
    for (const [id, h] of taken) {
      if (!known!.has(id)) continue; // a rule deleted since it matched
      const prev = unflushed.get(id);
      unflushed.set(id, {
        rule_id: id,
        hits: (prev?.hits ?? 0) + h.hits,
        last_hit_at: Math.max(prev?.last_hit_at ?? 0, h.lastAt),
      });
    }
    if (!unflushed.size) return;
    const rows = [...unflushed.values()];
    flushing = (async () => {
      try {
        // Counters, every 2 s, no audit entry: no fsync wait, no chain lock.
        await store.transaction((tx) => addHits(tx, rows), { durability: 'relaxed', audited: false });
        for (const r of rows) if (unflushed.get(r.rule_id) === r) unflushed.delete(r.rule_id);
      } catch (err) {
        deps.onError(err, 'hit counter flush');
      } finally {
        flushing = null;
      }
    })();
    await flushing;
  }

  return {
    flush,
    /** Flushes every `intervalMs` (the timer does not keep the process alive). */
    start(intervalMs: number): void {
      if (timer) return;
      timer = setInterval(() => void flush(), intervalMs);
      timer.unref();
    },
    /** Stops the timer and writes what is left. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },
    /** Counts the matches of another source too (its counters are taken at each flush). */
    countFrom(take: () => RuleHits): void {
      others.push(take);
    },
    /** Drops what is counted for a deleted rule. */
    forget(id: string): void {
      unflushed.delete(id);
    },
  };
}
