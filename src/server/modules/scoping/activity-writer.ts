/**
 * Where the embedded store writes the account-activity rows of ingested events: on a worker thread with
 * a connection of its own (activity-writer.worker.ts), not on the event loop. better-sqlite3 writes
 * synchronously, and rows keyed by random accounts and addresses touch a new index page each: at 10,000
 * events/s the writes took a fifth of the event loop and held every request for 50–150 ms at a time
 * (bench:detect ingest_to_alert). The thread takes the write lock in short transactions, so the event
 * loop's own writes (alerts) wait a few ms at most; it runs the WAL checkpoints meanwhile.
 */
import type { Worker } from 'node:worker_threads';
import { mainCheckpoints, sqliteSideFile, type Store } from '../../platform/db/connect.js';
import { startWorker } from '../../platform/worker.js';
import type { ActivityRow } from './activity-fields.js';

export interface ActivityWriter {
  /** Resolves once the rows are committed (visible to the store's readers); rejects when they were not. */
  write(rows: ActivityRow[]): Promise<void>;
  close(): Promise<void>;
}

/** The writer thread for `store`; null when it cannot have one (PostgreSQL, a store in memory). */
export function startActivityWriter(store: Store): ActivityWriter | null {
  const file = sqliteSideFile(store);
  if (!file) return null;
  const worker: Worker = startWorker(
    new URL(`./activity-writer.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    { file, wanted: store.writeWanted },
  );
  worker.unref();
  mainCheckpoints(store, false);
  let next = 0;
  let dead: Error | null = null;
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  const fail = (err: Error) => {
    dead ??= err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    mainCheckpoints(store, true);
  };
  worker.on('message', (m: { id: number; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(new Error(m.error));
    else w?.resolve();
  });
  worker.on('error', (err) => fail(err));
  worker.on('exit', (code) => fail(new Error(`the activity writer thread stopped (exit code ${code})`)));
  const ask = (msg: { rows: string } | { close: true }) =>
    new Promise<void>((resolve, reject) => {
      if (dead) return reject(dead);
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...msg });
    });
  return {
    write: (rows) => ask({ rows: JSON.stringify(rows) }),
    async close() {
      if (dead) return;
      try {
        await ask({ close: true });
      } finally {
        dead ??= new Error('the activity writer is closed');
        mainCheckpoints(store, true);
        await worker.terminate();
      }
    },
  };
}
