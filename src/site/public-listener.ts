/**
 * The listener of its own for the public pages (TOCSIN_PUBLIC_PORT): the status site at `/` and
 * `/healthz`, nothing of the API or the console, so a firm exposes it to the internet while the staff
 * console stays inside its network.
 */
import type { FastifyInstance } from 'fastify';
import { fastifyLib } from '../server/platform/heavy-libs.js';
import { installPublicPages, type PublicRoutesInstaller } from './serve-pages.js';
import type { PublicSite } from './public-site.js';

export interface PublicListenerOptions {
  site: PublicSite;
  installers?: PublicRoutesInstaller[];
  /** Reverse proxies whose X-Forwarded-For names the client (the subscription throttles read req.ip). */
  trustedProxies?: string[];
}

/** The public app, not listening yet. */
export async function buildPublicApp(opts: PublicListenerOptions): Promise<FastifyInstance> {
  const Fastify = await fastifyLib();
  const app = Fastify({
    logger: false,
    bodyLimit: 16 * 1024,
    trustProxy: opts.trustedProxies?.length ? opts.trustedProxies : false,
  });
  app.get('/healthz', async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  await installPublicPages(app, { site: opts.site, prefix: '', installers: opts.installers });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('text/plain; charset=utf-8')
      .send(`no route ${req.method} ${req.url.split('?')[0]}`),
  );
  return app;
}
