/**
 * One socket write per tick for a PostgreSQL connection. node-postgres writes each statement of a
 * pipelined transaction (pipeline.ts) with its own system call (it corks only the messages of one
 * statement), and on a loopback socket every write wakes the server's backend: a transaction that sends
 * its reads or its last writes and COMMIT together paid a write and a wakeup per statement. Here the
 * first write of a tick corks the socket and the end of the tick uncorks it, so what the event loop
 * sends in one go leaves in one write (node's `cork()` / `uncork()` on `process.nextTick`, the idiom of
 * node's own HTTP client). Nothing waits longer than the current tick.
 */
import type { Writable } from 'node:stream';

const COALESCED = Symbol('tocsin.coalesced');

export function coalesceWrites(socket: Writable & { [COALESCED]?: true }): void {
  if (socket[COALESCED]) return;
  socket[COALESCED] = true;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  const write = socket.write;
  socket.write = function (this: Writable, ...args: Parameters<Writable['write']>) {
    if (!corked && socket.writable) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Writable['write'];
}
