/**
 * The help portal as a `PublicRoutesInstaller` the site mounts on both listeners (under `/status` on the
 * main one, at `/` on TOCSIN_PUBLIC_PORT): `/help` (FAQ and the form), `/help/check` (reference + phone
 * or email -> status and answer), `/help/feedback` (the survey). Plain HTML forms, no CSRF token (no
 * session here); the abuse guard is the throttle per IP and per contact, and a honeypot field.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PortalAsk } from '../../../shared/inquiry-schemas.js';
import type { Bilingual } from '../../../shared/status-site.js';
import { AppError } from '../../platform/errors.js';
import { acceptPortalForms, portalCtxOf, type PublicRoutesInstaller } from '../../../site/index.js';
import type { InquiryPortal } from './inquiry-portal.service.js';
import {
  askPage,
  checkPage,
  HELP_CSS,
  HELP_JS,
  messagePage,
  type PageCtx,
  referencePage,
  textOf,
} from './inquiry-portal-views.js';

const BODY_LIMIT = 16 * 1024;

const fieldsOf = (req: FastifyRequest): Record<string, string> => {
  const b = req.body;
  if (b instanceof URLSearchParams) return Object.fromEntries([...b].map(([k, v]) => [k, v.slice(0, 10_000)]));
  return {};
};
const optional = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(body);
}

export function inquiryPortalRoutes(deps: { portal: InquiryPortal; siteName: Bilingual }): PublicRoutesInstaller {
  const { portal, siteName } = deps;
  return async (app, { prefix }) => {
    await app.register(async (scope) => {
      acceptPortalForms(scope, BODY_LIMIT);
      const ctxOf = (req: FastifyRequest, named?: string): PageCtx => portalCtxOf(req, { prefix, siteName }, named);
      const throttled = (ctx: PageCtx, reply: FastifyReply, err: unknown) => {
        if (!(err instanceof AppError) || err.status !== 429) throw err;
        if (err.headers) reply.headers(err.headers);
        const m = textOf(ctx.lang);
        return html(reply, 429, messagePage(ctx, m.help, m.throttled(String(err.headers?.['retry-after'] ?? '60'))));
      };

      scope.get(`${prefix}/help/help.css`, (_req, reply) =>
        reply.header('cache-control', 'public, max-age=300').type('text/css; charset=utf-8').send(HELP_CSS),
      );
      scope.get(`${prefix}/help/help.js`, (_req, reply) =>
        reply.header('cache-control', 'public, max-age=300').type('text/javascript; charset=utf-8').send(HELP_JS),
      );

      scope.get(`${prefix}/help`, async (req, reply) =>
        html(reply, 200, askPage(ctxOf(req), { topics: await portal.topics() })),
      );

      scope.post(`${prefix}/help`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const f = fieldsOf(req);
        const ctx = ctxOf(req, f.language);
        const parsed = PortalAsk.safeParse({
          name: f.name ?? '',
          phone: optional(f.phone),
          email: optional(f.email),
          question: f.question ?? '',
          language: ctx.lang,
          incident: optional(f.incident),
          website: optional(f.website),
        });
        const again = async (error: string) =>
          html(reply, 422, askPage(ctx, { topics: await portal.topics(), values: f, error }));
        if (!parsed.success) return again(textOf(ctx.lang).invalid);
        try {
          const r = await portal.ask(req.ip, parsed.data);
          return html(reply, 201, referencePage(ctx, r.reference));
        } catch (err) {
          if (err instanceof AppError && err.status === 422) return again(textOf(ctx.lang).invalid);
          return throttled(ctx, reply, err);
        }
      });

      scope.get(`${prefix}/help/check`, async (req, reply) => html(reply, 200, checkPage(ctxOf(req), {})));

      scope.post(`${prefix}/help/check`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const f = fieldsOf(req);
        const ctx = ctxOf(req, f.language);
        const values = { reference: (f.reference ?? '').slice(0, 40), contact: (f.contact ?? '').slice(0, 320) };
        try {
          const result = await portal.check(req.ip, values.reference, values.contact);
          return html(reply, result ? 200 : 404, checkPage(ctx, { values, result }));
        } catch (err) {
          return throttled(ctx, reply, err);
        }
      });

      scope.post(`${prefix}/help/feedback`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const f = fieldsOf(req);
        const ctx = ctxOf(req, f.language);
        const m = textOf(ctx.lang);
        const rating = Number(f.rating);
        if (!Number.isInteger(rating) || rating < 1 || rating > 5)
          return html(reply, 422, messagePage(ctx, m.survey, m.rating));
        const comment = optional(f.comment)?.slice(0, 2000) ?? null;
        const ok = await portal.feedback(f.reference ?? '', f.token ?? '', rating, comment);
        return ok
          ? html(reply, 201, messagePage(ctx, m.survey, m.surveyThanks))
          : html(reply, 409, messagePage(ctx, m.survey, m.surveyInvalid));
      });
    });
  };
}
