/**
 * The portal's pages for filing a claim, as a `PublicRoutesInstaller` beside the offer pages:
 * `/compensation/file` (incident and who), `/compensation/file/code` (+ `/resend`), `/compensation/file/claim`
 * (the form with files, multipart) and `/compensation/file/done`. POST then 303, like the offer pages.
 *
 * CSRF: the filing session's cookie (HttpOnly, SameSite=Strict, only under `/compensation`) and the form
 * token derived from it, checked before the first file byte is kept; cross-site POSTs are refused when
 * the browser says so.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_UPLOAD } from '../../../shared/compensation-filing-schemas.js';
import { yuanToMinor } from '../../../shared/compensation.js';
import type { Bilingual } from '../../../shared/status-site.js';
import { acceptPortalForms, portalCtxOf, type PublicRoutesInstaller } from '../../../site/index.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { multipartLib } from '../../platform/heavy-libs.js';
import { fileClaimPage, fileCodePage, fileDonePage, fileStartPage, filingText } from './filing-views.js';
import type { ReceivedForm } from './attachment-upload.js';
import type { FilingService } from './filing.service.js';
import { cookieOf, crossSite, fieldsOf, html, see } from './portal-http.js';
import { SESSION_TTL_MS, sessionCsrf, sessionCsrfValid } from './portal.service.js';
import { compensationText, messagePage, type PageCtx, portalHref } from './portal-views.js';

const BODY_LIMIT = 16 * 1024;
const COOKIE = 'tocsin_cmpf';

export function filingPortalRoutes(deps: { filing: FilingService; siteName: Bilingual }): PublicRoutesInstaller {
  const { filing, siteName } = deps;
  return async (app, { prefix }) => {
    const base = `${prefix}/compensation/file`;
    const ctxOf = (req: FastifyRequest, named?: string): PageCtx => portalCtxOf(req, { prefix, siteName }, named);
    const throttled = (ctx: PageCtx, reply: FastifyReply, err: unknown) => {
      if (!(err instanceof AppError) || err.status !== 429) throw err;
      if (err.headers) reply.headers(err.headers);
      return html(
        reply,
        429,
        messagePage(ctx, compensationText(ctx.lang).throttled(String(err.headers?.['retry-after'] ?? '60'))),
      );
    };
    const refused = (req: FastifyRequest, reply: FastifyReply, ctx: PageCtx) => {
      if (!crossSite(req)) return false;
      void html(reply, 403, messagePage(ctx, compensationText(ctx.lang).forbidden));
      return true;
    };

    await app.register(async (scope) => {
      acceptPortalForms(scope, BODY_LIMIT);

      scope.get(base, async (req, reply) => html(reply, 200, fileStartPage(ctxOf(req), await filing.openIncidents())));

      scope.post(base, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const f = fieldsOf(req);
        const ctx = ctxOf(req, f.language);
        if (refused(req, reply, ctx)) return reply;
        const input = { incidentId: f.incident ?? '', who: (f.who ?? '').trim(), phone: (f.phone ?? '').trim() };
        if (!input.incidentId || !input.who || !input.phone)
          return html(
            reply,
            422,
            fileStartPage(ctx, await filing.openIncidents(), { error: filingText(ctx).invalidStart, values: f }),
          );
        let ticket: string;
        try {
          ticket = await filing.requestCode(req.ip, input);
        } catch (err) {
          return throttled(ctx, reply, err);
        }
        return see(reply, portalHref(ctx, '/compensation/file/code', { t: ticket }));
      });

      scope.get(`${base}/code`, async (req, reply) => {
        const ctx = ctxOf(req);
        const q = req.query as Record<string, unknown>;
        const ticket = typeof q.t === 'string' ? q.t.slice(0, 64) : '';
        if (!ticket) return see(reply, portalHref(ctx, '/compensation/file'));
        return html(reply, 200, fileCodePage(ctx, { ticket, resent: q.sent === '1' }));
      });

      scope.post(`${base}/resend`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const f = fieldsOf(req);
        const ctx = ctxOf(req, f.language);
        if (refused(req, reply, ctx)) return reply;
        const ticket = (f.ticket ?? '').slice(0, 64);
        try {
          await filing.resend(req.ip, ticket);
        } catch (err) {
          return throttled(ctx, reply, err);
        }
        return see(reply, portalHref(ctx, '/compensation/file/code', { t: ticket, sent: '1' }));
      });

      scope.post(`${base}/code`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const f = fieldsOf(req);
        const ctx = ctxOf(req, f.language);
        if (refused(req, reply, ctx)) return reply;
        const ticket = (f.ticket ?? '').slice(0, 64);
        let session: string | null;
        try {
          session = await filing.verifyCode(req.ip, ticket, f.code ?? '');
        } catch (err) {
          return throttled(ctx, reply, err);
        }
        if (!session) return html(reply, 422, fileCodePage(ctx, { ticket, error: filingText(ctx).wrongCode }));
        reply.header(
          'set-cookie',
          `${COOKIE}=${session}; Path=${prefix}/compensation; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; SameSite=Strict${req.protocol === 'https' ? '; Secure' : ''}`,
        );
        return see(reply, portalHref(ctx, '/compensation/file/claim'));
      });

      scope.get(`${base}/claim`, async (req, reply) => {
        const ctx = ctxOf(req);
        const session = cookieOf(req, COOKIE);
        const view = await filing.view(session);
        if (!view) return see(reply, portalHref(ctx, '/compensation/file'));
        return html(reply, 200, fileClaimPage(ctx, view, { csrf: sessionCsrf(session) }));
      });

      scope.get(`${base}/done`, async (req, reply) => {
        const ctx = ctxOf(req);
        const view = await filing.view(cookieOf(req, COOKIE));
        if (!view?.claim) return see(reply, portalHref(ctx, '/compensation/file'));
        const added = (req.query as Record<string, unknown>).added === '1';
        return html(reply, 200, fileDonePage(ctx, { ref: view.claim.ref, created: !added }));
      });
    });

    // The claim form: multipart, streamed, in its own scope (the other pages keep their small form parser).
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      await scope.register(await multipartLib(), {
        throwFileSizeLimit: true,
        limits: {
          files: ATTACHMENTS_PER_UPLOAD,
          fileSize: ATTACHMENT_MAX_BYTES,
          fields: 10,
          fieldSize: 16 * 1024,
          parts: ATTACHMENTS_PER_UPLOAD + 10,
        },
      });
      scope.post(`${base}/claim`, async (req, reply) => {
        let ctx = ctxOf(req);
        if (refused(req, reply, ctx)) return reply;
        const session = cookieOf(req, COOKIE);
        const view = await filing.view(session);
        if (!view || !req.isMultipart()) return see(reply, portalHref(ctx, '/compensation/file'));
        let fields: Record<string, string> = {};
        const again = (status: number, error: string) =>
          html(reply, status, fileClaimPage(ctx, view, { csrf: sessionCsrf(session), error, values: fields }));
        let form: ReceivedForm;
        try {
          form = await filing.receive(req.parts(), (f) => {
            fields = f;
            ctx = ctxOf(req, f.language);
            if (!sessionCsrfValid(session, f.csrf ?? '')) throw forbidden('the form token is not this session’s');
          });
        } catch (err) {
          if (err instanceof AppError && err.status === 403)
            return html(reply, 403, messagePage(ctx, compensationText(ctx.lang).forbidden));
          if (err instanceof AppError && err.code in filingText(ctx).fileProblem)
            return again(err.status, filingText(ctx).fileProblem[err.code]!(stringParams(err.params)));
          if (
            (err as { code?: string }).code === 'FST_FILES_LIMIT' ||
            (err as { code?: string }).code === 'FST_PARTS_LIMIT'
          )
            return again(
              413,
              filingText(ctx).fileProblem['compensation.attachments_full']!({ max: String(ATTACHMENTS_PER_UPLOAD) }),
            );
          throw err;
        }
        fields = form.fields;
        const m = filingText(ctx);
        const description = (fields.description ?? '').trim().slice(0, 4000);
        const amountText = (fields.amount ?? '').trim().replace(/,/g, '');
        const claimedMinor = amountText ? yuanToMinor(amountText) : null;
        if (view.claim) {
          if (!description && form.files.length === 0) return again(422, m.invalidMore);
        } else if (
          !description ||
          (amountText && (claimedMinor === null || claimedMinor <= 0 || claimedMinor > 10_000_000_000_000))
        )
          return again(422, m.invalidForm);
        let done: Awaited<ReturnType<FilingService['file']>>;
        try {
          done = await filing.file(session, req.ip, { description, claimedMinor, files: form.files });
        } catch (err) {
          if (err instanceof AppError && err.code === 'compensation.portal_closed')
            return html(reply, 409, fileClaimPage(ctx, { ...view, open: false }, { csrf: sessionCsrf(session) }));
          if (err instanceof AppError && err.code in m.fileProblem)
            return again(err.status, m.fileProblem[err.code]!(stringParams(err.params)));
          throw err;
        }
        if (!done) return see(reply, portalHref(ctx, '/compensation/file'));
        return see(reply, portalHref(ctx, '/compensation/file/done', done.created ? {} : { added: '1' }));
      });
    });
  };
}

const stringParams = (p: Record<string, string | number> | undefined) =>
  Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, String(v)]));
