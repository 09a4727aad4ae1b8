/**
 * The public routes of subscriptions, as a `PublicRoutesInstaller` the site mounts on both listeners
 * (under `/status` on the main one, at `/` on TOCSIN_PUBLIC_PORT): the subscribe form's POST
 * (form-urlencoded, or JSON), the confirm link, and the unsubscribe link (GET shows one button, since
 * mail scanners follow links; POST unsubscribes — also RFC 8058's one-click POST from mail clients).
 * Each answers a small page in zh-CN or English (escaped, no script), or JSON for `Accept: application/json`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  type PUBLIC_OUTCOMES,
  type PublicSubscriptionResult,
  SubscribeBody,
  type SubscriberLanguage,
} from '../../../shared/subscription-schemas.js';
import { fieldErrors } from '../../http/route.js';
import { sendProblem } from '../../http/problem.js';
import { AppError, invalid } from '../../platform/errors.js';
import { esc } from './subscription-mail.js';
import type { PublicResult, SubscriptionService } from './subscription.service.js';

/** The site's contract (src/site/index.ts): adds routes to the public pages under `prefix`. */
type PublicRoutesInstaller = (app: FastifyInstance, opts: { prefix: string }) => void | Promise<void>;

const FORM = 'application/x-www-form-urlencoded';
const BODY_LIMIT = 16 * 1024;

type Outcome = (typeof PUBLIC_OUTCOMES)[number];
const TEXT: Record<Outcome, { status: number; zh: string; en: string }> = {
  confirmation_sent: {
    status: 202,
    zh: '请查收邮件：我们已向该地址发送确认链接，点击后订阅生效。如未收到，请检查垃圾邮件。',
    en: 'Check your mail: we sent a confirmation link to that address; the subscription starts once you follow it. Nothing there? Look in the spam folder.',
  },
  confirmed: {
    status: 200,
    zh: '订阅已确认。服务状态有更新时，我们会发邮件通知您。',
    en: 'Subscription confirmed. We will mail you when the status changes.',
  },
  already_confirmed: {
    status: 200,
    zh: '此订阅已确认，无需再次确认。',
    en: 'This subscription is already confirmed; nothing more to do.',
  },
  confirm_unsubscribe: {
    status: 200,
    zh: '点击下方按钮即可退订，之后不会再收到状态通知邮件。',
    en: 'Press the button below to unsubscribe; you will get no more status mails.',
  },
  unsubscribed: {
    status: 200,
    zh: '您已退订，不会再收到状态通知邮件。',
    en: 'You are unsubscribed and will get no more status mails.',
  },
  invalid: {
    status: 400,
    zh: '链接无效：它不是我们发出的链接，或订阅已被删除。',
    en: 'Invalid link: it is not one we sent, or the subscription was removed.',
  },
  expired: {
    status: 410,
    zh: '确认链接已过期（有效期 7 天）。请重新订阅。',
    en: 'The confirmation link has expired (valid 7 days). Please subscribe again.',
  },
};
const TITLE = { 'zh-CN': '服务状态订阅', en: 'Status subscription' };
const BUTTON = { 'zh-CN': '退订', en: 'Unsubscribe' };
const BACK = { 'zh-CN': '返回服务状态页', en: 'Back to the status page' };

/** `?lang=`, else the language the link or form named, else Accept-Language; zh-CN by default. */
function languageOf(req: FastifyRequest, named?: SubscriberLanguage): SubscriberLanguage {
  const q = (req.query as Record<string, unknown>).lang;
  if (q === 'en' || q === 'zh-CN') return q;
  if (named) return named;
  const accept = String(req.headers['accept-language'] ?? '').toLowerCase();
  const first = accept.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

const wantsJson = (req: FastifyRequest) => String(req.headers.accept ?? '').includes('application/json');

function page(lang: SubscriberLanguage, home: string, message: string, extra = ''): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(TITLE[lang])}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.6}button{font-size:1em;padding:.5em 1.5em}</style>
</head><body>
<h1>${esc(TITLE[lang])}</h1>
<p>${esc(message)}</p>
${extra}
<p><a href="${esc(home)}">${esc(BACK[lang])}</a></p>
</body></html>
`;
}

function answer(
  req: FastifyRequest,
  reply: FastifyReply,
  home: string,
  r: PublicResult,
  lang: SubscriberLanguage,
  extra = '',
) {
  const t = TEXT[r.outcome];
  reply.code(t.status).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  const message = lang === 'en' ? t.en : t.zh;
  if (wantsJson(req))
    return reply.send({ outcome: r.outcome, message } satisfies z.infer<typeof PublicSubscriptionResult>);
  return reply.type('text/html; charset=utf-8').send(page(lang, home, message, extra));
}

const mailUnavailable = () =>
  new AppError(
    503,
    'unavailable',
    'Email subscriptions unavailable',
    'this site sends no email (no mail server is configured: TOCSIN_SMTP_URL); follow the Atom, RSS or JSON feed instead',
  );

/** A problem (429 throttle, 422 bad address, 503 no mail) as problem+json or as the page in the visitor's language. */
function fail(req: FastifyRequest, reply: FastifyReply, home: string, err: unknown, lang: SubscriberLanguage) {
  if (!(err instanceof AppError) || wantsJson(req)) return sendProblem(err, req, reply);
  if (err.headers) reply.headers(err.headers);
  const message =
    err.status === 503
      ? lang === 'en'
        ? 'This site does not send email notifications yet. Follow the Atom or RSS feed linked on the status page instead.'
        : '本站暂不提供邮件通知，请改用状态页上的 Atom 或 RSS 订阅源。'
      : err.status === 429
        ? lang === 'en'
          ? `Too many subscribe requests; try again in ${err.headers?.['retry-after'] ?? 'a few'} seconds.`
          : `订阅请求过于频繁，请 ${err.headers?.['retry-after'] ?? '稍后'} 秒后再试。`
        : lang === 'en'
          ? 'Please enter a valid email address.'
          : '请填写有效的电子邮件地址。';
  return reply
    .code(err.status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page(lang, home, message));
}

/** The form's fields (repeated `services` allowed), or the JSON body as it came. */
function bodyOf(req: FastifyRequest): unknown {
  if (!(req.body instanceof URLSearchParams)) return req.body;
  const f = req.body;
  const pickText = (k: string) => {
    const v = f.get(k);
    return v === null || v === '' ? undefined : v;
  };
  return {
    email: f.get('email') ?? '',
    language: pickText('language'),
    services: f.getAll('services').filter(Boolean),
    website: pickText('website'),
  };
}

const tokenOf = (req: FastifyRequest): string => {
  const q = (req.query as Record<string, unknown>).token;
  if (typeof q === 'string') return q.slice(0, 500);
  const b = req.body;
  const t = b instanceof URLSearchParams ? b.get('token') : (b as Record<string, unknown> | undefined)?.token;
  return typeof t === 'string' ? t.slice(0, 500) : '';
};

/** The installer the site mounts: the subscribe, confirm and unsubscribe routes under its prefix. */
export function subscriptionPublicRoutes(deps: {
  subscriptions: SubscriptionService;
  /** Whether a mail server is configured (TOCSIN_SMTP_URL): without one nobody could confirm, so 503. */
  mail: boolean;
}): PublicRoutesInstaller {
  const { subscriptions, mail } = deps;
  return async (app, { prefix }) => {
    const home = prefix || '/';
    // A scope of its own, so the form parser added here stays with these routes.
    await app.register(async (scope) => {
      if (!scope.hasContentTypeParser(FORM))
        scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
          done(null, new URLSearchParams(body as string));
        });

      scope.post(`${prefix}/subscribe`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        let lang = languageOf(req);
        try {
          const parsed = SubscribeBody.safeParse(bodyOf(req));
          if (!parsed.success) throw invalid('the subscription request is invalid', fieldErrors(parsed.error, 'body'));
          lang = languageOf(req, parsed.data.language);
          if (!mail) throw mailUnavailable();
          const r = await subscriptions.subscribe(req.ip, parsed.data);
          return answer(req, reply, home, r, lang);
        } catch (err) {
          return fail(req, reply, home, err, lang);
        }
      });

      scope.get(`${prefix}/subscribe/confirm`, async (req, reply) => {
        // A HEAD (link checkers, previews) does not confirm.
        if (req.method === 'HEAD') return reply.code(200).type('text/html; charset=utf-8').send();
        const r = await subscriptions.confirm(tokenOf(req));
        return answer(req, reply, home, r, languageOf(req, r.language));
      });

      scope.get(`${prefix}/unsubscribe`, async (req, reply) => {
        if (req.method === 'HEAD') return reply.code(200).type('text/html; charset=utf-8').send();
        const token = tokenOf(req);
        const r = await subscriptions.checkUnsubscribe(token);
        const lang = languageOf(req, r.language);
        const form =
          r.outcome === 'confirm_unsubscribe'
            ? `<form method="post" action="${esc(`${prefix}/unsubscribe?token=${encodeURIComponent(token)}&lang=${lang}`)}"><button type="submit">${esc(BUTTON[lang])}</button></form>`
            : '';
        return answer(req, reply, home, r, lang, form);
      });

      scope.post(`${prefix}/unsubscribe`, { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const r = await subscriptions.unsubscribe(tokenOf(req));
        return answer(req, reply, home, r, languageOf(req, r.language));
      });
    });
  };
}
