/**
 * The embedded store's account-activity writer thread (started by activity-writer.ts): a message of rows
 * (JSON) is inserted on a connection of its own and answered; it also runs the store's WAL checkpoints
 * (every second, passive) while it lives, which the main connection leaves to it. While the event loop
 * waits for the write lock, it starts no transaction.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ActivityRow } from './activity-fields.js';
import { openActivitySideWriter } from './activity.repository.js';

type Request = { id: number; rows: string } | { id: number; close: true };

const port = parentPort;
if (!port) throw new Error('activity-writer.worker is a worker thread module');
const { file, wanted } = workerData as { file: string; wanted?: Int32Array };
const writer = openActivitySideWriter(file);
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
/** The event loop waits for the write lock (connect.ts, `lockWithoutBlocking`). */
const mainWaiting = () => (wanted ? Atomics.load(wanted, 0) === 1 : false);
const checkpoints = setInterval(() => {
  try {
    writer.checkpoint();
  } catch {
    // busy or closing: the next one will do
  }
}, 1000);

// One message at a time, in arrival order.
let queue: Promise<void> = Promise.resolve();
port.on('message', (m: Request) => {
  queue = queue.then(async () => {
    if ('close' in m) {
      clearInterval(checkpoints);
      writer.checkpoint();
      writer.close();
      port.postMessage({ id: m.id });
      port.close();
      return;
    }
    try {
      await writer.insert(JSON.parse(m.rows) as ActivityRow[], pause, mainWaiting);
      port.postMessage({ id: m.id });
    } catch (err) {
      port.postMessage({ id: m.id, error: (err as Error).message });
    }
  });
});
