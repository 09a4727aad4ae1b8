/**
 * The embedded store's account-activity writer thread (started by activity-writer.ts): a message of rows
 * (JSON) is inserted on a connection of its own and answered; it also runs the store's WAL checkpoints
 * (every second, passive) while it lives, which the main connection leaves to it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ActivityRow } from './activity-fields.js';
import { openActivitySideWriter } from './activity.repository.js';

type Request = { id: number; rows: string } | { id: number; close: true };

const port = parentPort;
if (!port) throw new Error('activity-writer.worker is a worker thread module');
const writer = openActivitySideWriter((workerData as { file: string }).file);
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
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
      await writer.insert(JSON.parse(m.rows) as ActivityRow[], pause);
      port.postMessage({ id: m.id });
    } catch (err) {
      port.postMessage({ id: m.id, error: (err as Error).message });
    }
  });
});
