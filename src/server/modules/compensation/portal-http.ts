/** What the portal's compensation pages share over HTTP: form fields, HTML answers, redirects, the session cookie, cross-site POSTs. */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const fieldsOf = (req: FastifyRequest): Record<string, string> => {
  const b = req.body;
  if (b instanceof URLSearchParams) return Object.fromEntries([...b].map(([k, v]) => [k, v.slice(0, 4000)]));
  return {};
};

export function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(body);
}

export const see = (reply: FastifyReply, to: string) => reply.header('cache-control', 'no-store').redirect(to, 303);

export function cookieOf(req: FastifyRequest, name: string): string {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return '';
}

/**
 * A POST another site made the browser send, when the browser says so: `Sec-Fetch-Site: cross-site`,
 * else an `Origin` of another host. (`Origin: null` is what these pages' `Referrer-Policy: no-referrer`
 * makes Chromium send on their own forms: not decisive, the session's form token is.)
 */
export function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site) return site === 'cross-site';
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}
