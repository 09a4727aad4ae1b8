/** Server-sent events: incident changes pushed to every console that may see them. */
import type { FastifyInstance } from 'fastify';
import type { Bus } from '../platform/bus.js';
import { unauthorized, forbidden } from '../platform/errors.js';
import { can } from '../modules/auth/index.js';
import { canSee } from '../modules/incident/index.js';

const PING_MS = 15_000;

export function installStream(app: FastifyInstance, bus: Bus): void {
  const open = new Set<() => void>();
  // Streams never end by themselves: end them when the server closes so shutdown is not held up.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });
  app.get('/api/v1/stream', async (req, reply) => {
    const p = req.principal;
    if (!p) throw unauthorized();
    if (p.restrictedTo || !can(p, 'incident.read')) throw forbidden();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n: connected\n\n`);
    const unsubscribe = bus.subscribe((e) => {
      if (!canSee(p, e.audience)) return;
      const { audience: _omit, ...data } = e;
      res.write(`event: ${e.event}\ndata: ${JSON.stringify(data)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
    const close = () => {
      clearInterval(ping);
      unsubscribe();
      open.delete(end);
    };
    const end = () => {
      close();
      res.end();
    };
    open.add(end);
    req.raw.on('close', close);
    res.on('error', close);
  });
}
