/**
 * The Fastify side of the public site: every GET under the mount answered from the current rendered set
 * (a map lookup, 304 on If-None-Match, the encoding the client accepts), plus the extra public routes
 * other modules install (subscriptions). No session is read: nothing here is under /api/.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pickLang } from './i18n.js';
import { matchesEtag, pickEncoding, type PageSet } from './page-set.js';
import type { PublicSite } from './public-site.js';

/** A plugin adding routes to the public pages; `prefix` is '/status' on the main listener and '' on TOCSIN_PUBLIC_PORT. */
export type PublicRoutesInstaller = (app: FastifyInstance, opts: { prefix: string }) => void | Promise<void>;

export interface PublicPagesOptions {
  site: PublicSite;
  prefix: string;
  installers?: PublicRoutesInstaller[];
}

function send(set: PageSet, req: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
  const query = req.query as Record<string, unknown>;
  const lang = pickLang(query.lang, req.headers['accept-language']);
  let key = path;
  if (path === '/history' && typeof query.page === 'string' && query.page !== '1') key = `/history?page=${query.page}`;
  const rep = set.get(lang, key) ?? set.get(lang, '/404')!;
  const encoding = pickEncoding(req.headers['accept-encoding']);
  if (rep.status === 200 && matchesEtag(req.headers['if-none-match'], rep.etags))
    return reply.code(304).headers(rep.notModified[encoding]).send();
  const v = rep.variants[encoding];
  return reply.code(rep.status).headers(v.headers).send(v.body);
}

/** Mounts the public pages (and the installers' routes) at `prefix` ('/status' or ''). */
export async function installPublicPages(app: FastifyInstance, opts: PublicPagesOptions): Promise<void> {
  const { site, prefix } = opts;
  const handler = (req: FastifyRequest, reply: FastifyReply) => {
    const raw = req.url.slice(prefix.length).split('?')[0]!;
    const path = raw === '' ? '/' : raw;
    const set = site.current(prefix);
    if ('get' in set) return send(set, req, reply, path);
    return set.then((s) => send(s, req, reply, path));
  };
  if (prefix) {
    app.get(prefix, handler);
    app.get(`${prefix}/`, handler);
  } else app.get('/', handler);
  app.get(`${prefix}/*`, handler);
  for (const install of opts.installers ?? []) await install(app, { prefix });
}
