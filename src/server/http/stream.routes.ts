/**
 * Server-sent events: incident changes pushed to every console that may see them. Each event carries
 * its bus id; a console that reconnects with `Last-Event-ID` (or `?lastEventId=`) first gets the events
 * it missed and may see, or `resync` when they are no longer kept (it then refetches everything).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SAFE_EVENT_ID, type Bus } from '../platform/bus.js';
import type { Principal } from '../modules/auth/index.js';
import { unauthorized, forbidden } from '../platform/errors.js';
import { can } from '../modules/auth/index.js';
import { canSee } from '../modules/incident/index.js';

/** Where the console asks to resume: the browser's `Last-Event-ID` header first, then the query. */
function resumeFrom(req: FastifyRequest): string | undefined {
  const header = req.headers['last-event-id'];
  const query = (req.query as { lastEventId?: unknown } | undefined)?.lastEventId;
  const id = typeof header === 'string' && header ? header : typeof query === 'string' && query ? query : undefined;
  // An id that is not one of ours cannot be replayed: say so with a resync rather than echo it.
  return id === undefined ? undefined : SAFE_EVENT_ID.test(id) ? id : '-';
}

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
    const after = resumeFrom(req);
    // `ready` names where this stream starts, so a console that must open a new stream can resume there.
    let sent: string | undefined; // the id the console holds now
    const ready = (id: string, event = 'ready') => {
      sent = id;
      res.write(`id: ${id}\nevent: ${event}\ndata: {}\n\n`);
    };
    const subscription = bus.subscribe(
      (e, id) => {
        if (!canSee(p, e.audience) || (e.audience.permission && !can(p, e.audience.permission))) return;
        const { audience: _omit, ...data } = e;
        sent = id;
        res.write(`id: ${id}\nevent: ${e.event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      { after, onResync: (head) => ready(head, 'resync') },
    );
    if (after === undefined) ready(subscription.head);
    const ping = setInterval(() => {
      stillValid(p).then(
        // A role change ends the stream too: the console reconnects as the new role and must refetch.
        (ok) => {
          if (ok) return void res.write(': ping\n\n');
          ready(sent ?? subscription.head, 'resync');
          end();
        },
        () => end(),
      );
    }, pingMs);
    const close = () => {
      clearInterval(ping);
      subscription.close();
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
