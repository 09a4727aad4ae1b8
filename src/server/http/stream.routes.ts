/** Server-sent events: incident changes pushed to every console that may see them. */
import type { FastifyInstance } from 'fastify';
import type { Bus } from '../platform/bus.js';
import type { Principal } from '../modules/auth/index.js';
import { unauthorized, forbidden } from '../platform/errors.js';
import { can } from '../modules/auth/index.js';
import { canSee } from '../modules/incident/index.js';

/**
 * `stillValid` is asked at every ping whether the stream's principal may still read (session not
 * expired or signed out, user not disabled); a stream that may not is ended. Returns how many streams
 * are open now (for /metrics).
 */
export function installStream(
  app: FastifyInstance,
  bus: Bus,
  stillValid: (p: Principal) => Promise<boolean>,
  pingMs = 15_000,
): () => number {
  const open = new Set<() => void>();
  // Streams never end by themselves: end them when the server closes so shutdown is not held up.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });
  app.get('/api/v1/stream', async (req, reply) => {
    const p = req.principal;
    if (!p) throw unauthorized();
    if (p.restrictedTo === 'mfa')
      throw forbidden('finish signing in with your second factor first', { code: 'auth.mfa_pending' });
    if (p.restrictedTo === 'password')
      throw forbidden('change your password first (POST /api/v1/me/password)', {
        code: 'auth.password_change_required',
      });
    if (p.restrictedTo === 'enrol')
      throw forbidden('enrol a second factor first (required for your role)', { code: 'auth.mfa_enrolment_required' });
    if (!can(p, 'incident.read'))
      throw forbidden(`your role (${p.user.role}) or this token's scopes may not incident.read`, {
        code: 'permission.denied',
        params: { role: p.user.role, permission: 'incident.read' },
      });
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
      if (!canSee(p, e.audience) || (e.audience.permission && !can(p, e.audience.permission))) return;
      const { audience: _omit, ...data } = e;
      res.write(`event: ${e.event}\ndata: ${JSON.stringify(data)}\n\n`);
    });
    const ping = setInterval(() => {
      stillValid(p).then(
        (ok) => (ok ? res.write(': ping\n\n') : end()),
        () => end(),
      );
    }, pingMs);
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
  return () => open.size;
}
