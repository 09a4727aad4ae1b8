/**
 * The compensation pages of the public portal as a `PublicRoutesInstaller` the site mounts on both
 * listeners (under `/status` on the main one, at `/` on TOCSIN_PUBLIC_PORT): `/compensation` (the
 * reference), `/compensation/code` (the one-time code), `/compensation/resend`, `/compensation/offer`
 * and its answers `/compensation/offer/accept|decline|counter`. Plain forms, POST then 303 redirect.
 *
 * CSRF: the answers need the portal session's cookie (HttpOnly, SameSite=Strict, only under
 * `/compensation`) and the form token derived from it; every POST from another site is refused when
 * the browser says so (`Origin` of another host, `Sec-Fetch-Site: cross-site`). The help portal's own
 * forms have no session and rely on throttles alone; these act on money, so they carry both.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOf, crossSite, fieldsOf, html, see } from './portal-http.js';
import { yuanToMinor } from '../../../shared/compensation.js';
import type { Bilingual } from '../../../shared/status-site.js';
import { AppError } from '../../platform/errors.js';
import { acceptPortalForms, portalCtxOf, type PublicRoutesInstaller } from '../../../site/index.js';
import { type AnswerOutcome, type CompensationPortal, normalizeClaimRef, SESSION_TTL_MS } from './portal.service.js';
import {
  codePage,
  COMPENSATION_CSS,
  compensationText,
  messagePage,
  offerPage,
  type PageCtx,
  portalHref,
  startPage,
} from './portal-views.js';

const BODY_LIMIT = 16 * 1024;
const COOKIE = 'tocsin_cmp';
const DONE = new Set(['accepted', 'countered', 'declined', 'changed', 'closed']);

export function compensationPortalRoutes(deps: {
  portal: CompensationPortal;
  siteName: Bilingual;
}): PublicRoutesInstaller {
  const { portal, siteName } = deps;
  return async (app, { prefix }) => {
    await app.register(async (scope) => {
      acceptPortalForms(scope, BODY_LIMIT);
      const ctxOf = (req: FastifyRequest, named?: string): PageCtx => portalCtxOf(req, { prefix, siteName }, named);
      const throttled = (ctx: PageCtx, reply: FastifyReply, err: unknown) => {
        if (!(err instanceof AppError) || err.status !== 429) throw err;
        if (err.headers) reply.headers(err.headers);
        const m = compensationText(ctx.lang);
        return html(reply, 429, messagePage(ctx, m.throttled(String(err.headers?.['retry-after'] ?? '60'))));
      };
      const base = `${prefix}/compensation`;
      const cookiePath = base;
      const setSession = (req: FastifyRequest, reply: FastifyReply, value: string, maxAge: number) =>
        reply.header(
          'set-cookie',
          `${COOKIE}=${value}; Path=${cookiePath}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${req.protocol === 'https' ? '; Secure' : ''}`,
        );
      /** Refuses a cross-site POST with a page (true when refused). */
      const refuseCrossSite = (req: FastifyRequest, reply: FastifyReply, ctx: PageCtx) => {
        if (!crossSite(req)) return false;
        void html(reply, 403, messagePage(ctx, compensationText(ctx.lang).forbidden));
        return true;
      };

      scope.get(`${base}/compensation.css`, (_req, reply) =>
        reply.header('cache-control', 'public, max-age=300').type('text/css; charset=utf-8').send(COMPENSATION_CSS),
      );

      scope.get(base, async (req, reply) => {
        const ctx = ctxOf(req);
        const ended = (req.query as Record<string, unknown>).m === 'session';
        return html(
          reply,
          200,
          startPage(ctx, { message: ended ? compensationText(ctx.lang).sessionEnded : undefined }),
        );
      });

      const sendCode = async (req: FastifyRequest, reply: FastifyReply, resent: boolean) => {
        const f = fieldsOf(req);
        const ctx = ctxOf(req, f.language);
        if (refuseCrossSite(req, reply, ctx)) return reply;
        const ref = normalizeClaimRef(f.reference ?? '');
        if (!ref)
          return html(reply, 422, startPage(ctx, { reference: f.reference, error: compensationText(ctx.lang).badRef }));
        try {
          await portal.requestCode(req.ip, ref);
        } catch (err) {
          return throttled(ctx, reply, err);
        }
        return see(reply, portalHref(ctx, '/compensation/code', { ref, ...(resent ? { sent: '1' } : {}) }));
      };
      scope.post(base, { bodyLimit: BODY_LIMIT }, (req, reply) => sendCode(req, reply, false));
      scope.post(`${base}/resend`, { bodyLimit: BODY_LIMIT }, (req, reply) => sendCode(req, reply, true));

      scope.get(`${base}/code`, async (req, reply) => {
        const ctx = ctxOf(req);
        const q = req.query as Record<string, unknown>;
        const ref = normalizeClaimRef(typeof q.ref === 'string' ? q.ref : '');
        if (!ref) return see(reply, portalHref(ctx, '/compensation'));
        return html(reply, 200, codePage(ctx, { reference: ref, resent: q.sent === '1' }));
      });

      scope.post(`${base}/code`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const f = fieldsOf(req);
        const ctx = ctxOf(req, f.language);
        if (refuseCrossSite(req, reply, ctx)) return reply;
        const ref = normalizeClaimRef(f.reference ?? '') ?? '';
        let session: string | null;
        try {
          session = await portal.verifyCode(req.ip, ref, f.code ?? '');
        } catch (err) {
          return throttled(ctx, reply, err);
        }
        if (!session)
          return html(reply, 422, codePage(ctx, { reference: ref, error: compensationText(ctx.lang).wrongCode }));
        setSession(req, reply, session, SESSION_TTL_MS / 1000);
        return see(reply, portalHref(ctx, '/compensation/offer'));
      });

      scope.get(`${base}/offer`, async (req, reply) => {
        const ctx = ctxOf(req);
        const session = cookieOf(req, COOKIE);
        const offer = await portal.offer(session);
        if (!offer) return see(reply, portalHref(ctx, '/compensation', { m: 'session' }));
        const done = (req.query as Record<string, unknown>).done;
        return html(
          reply,
          200,
          offerPage(ctx, offer, {
            csrf: portal.csrfOf(session),
            done: typeof done === 'string' && DONE.has(done) ? done : undefined,
          }),
        );
      });

      /** One of the customer's answers: session, form token and version checked, then 303 to the offer. */
      const answer = (what: 'accept' | 'decline' | 'counter') =>
        scope.post(`${base}/offer/${what}`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
          const f = fieldsOf(req);
          const ctx = ctxOf(req, f.language);
          const m = compensationText(ctx.lang);
          if (refuseCrossSite(req, reply, ctx)) return reply;
          const session = cookieOf(req, COOKIE);
          const offer = await portal.offer(session);
          if (!offer) return see(reply, portalHref(ctx, '/compensation', { m: 'session' }));
          if (!portal.csrfValid(session, f.csrf ?? '')) return html(reply, 403, messagePage(ctx, m.forbidden));
          const version = Number(f.version);
          const reason = (f.reason ?? '').trim().slice(0, 1000);
          const again = (error: string) =>
            html(reply, 422, offerPage(ctx, offer, { csrf: portal.csrfOf(session), error, values: f }));
          let outcome: AnswerOutcome | null;
          if (what === 'accept') outcome = await portal.accept(session, req.ip, version);
          else if (what === 'decline') {
            if (!reason) return again(m.invalidDecline);
            outcome = await portal.decline(session, req.ip, version, reason);
          } else {
            const amount = yuanToMinor((f.amount ?? '').trim().replace(/,/g, ''));
            if (amount === null || amount <= 0 || amount > 10_000_000_000_000 || !reason)
              return again(m.invalidCounter);
            outcome = await portal.counter(session, req.ip, version, amount, reason);
          }
          if (outcome === null) return see(reply, portalHref(ctx, '/compensation', { m: 'session' }));
          const done =
            outcome === 'done'
              ? { accept: 'accepted', decline: 'declined', counter: 'countered' }[what]
              : outcome === 'changed'
                ? 'changed'
                : 'closed';
          return see(reply, portalHref(ctx, '/compensation/offer', { done }));
        });
      answer('accept');
      answer('decline');
      answer('counter');
    });
  };
}
