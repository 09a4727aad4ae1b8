/**
 * What the public portal's server-rendered pages share — the help portal (inquiries) and the
 * compensation pages: the form body parser, the reader's language (a form's `language` field, else
 * `?lang=`, else Accept-Language), HTML escaping, and the page layout with the status site's style
 * sheets and header (no inline script or style: the CSP allows neither).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Bilingual } from '../shared/status-site.js';
import { pickLang } from './i18n.js';

export type PortalLang = 'zh-CN' | 'en';

/** The page's context: the reader's language, the site's path prefix and name. */
export interface PortalCtx {
  lang: PortalLang;
  prefix: string;
  siteName: Bilingual;
}

const PORTAL_FORM = 'application/x-www-form-urlencoded';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);
export const pickText = (b: Bilingual, lang: PortalLang) => (lang === 'en' ? b.en || b.zh : b.zh || b.en);

/** Parses urlencoded forms in `scope` (up to `bodyLimit` bytes) into URLSearchParams, once per scope. */
export function acceptPortalForms(scope: FastifyInstance, bodyLimit: number): void {
  if (scope.hasContentTypeParser(PORTAL_FORM)) return;
  scope.addContentTypeParser(PORTAL_FORM, { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });
}

/** The reader's language: a form's `language` field when the URL names none, else `?lang=` or Accept-Language. */
export function portalCtxOf(req: FastifyRequest, base: Omit<PortalCtx, 'lang'>, named?: string): PortalCtx {
  const q = (req.query as Record<string, unknown>).lang;
  const lang: PortalLang =
    q === undefined && (named === 'en' || named === 'zh-CN') ? named : pickLang(q, req.headers['accept-language']);
  return { ...base, lang };
}

export interface PortalLayout {
  title: string;
  body: string;
  /** The header's words after the firm's name (the portal's part). */
  part: string;
  /** The header's links, in order (already with the reader's language in them). */
  nav: { href: string; label: string }[];
  /** The other language's link and its label. */
  switchTo: { href: string; label: string };
  skip: string;
  /** Style sheets beyond the site's own, under the prefix. */
  css?: string[];
  /** A deferred script under the prefix. */
  script?: string;
}

/** A whole page of the portal. */
export function portalPage(ctx: PortalCtx, p: PortalLayout): string {
  const other: PortalLang = ctx.lang === 'en' ? 'zh-CN' : 'en';
  const home = ctx.prefix || '/';
  const sheets = ['/site.css', ...(p.css ?? [])]
    .map((href) => `<link rel="stylesheet" href="${esc(`${ctx.prefix}${href}`)}">`)
    .join('\n');
  const nav = p.nav.map((l) => `<a href="${esc(l.href)}">${esc(l.label)}</a>`).join('');
  return `<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(p.title)} · ${esc(pickText(ctx.siteName, ctx.lang))}</title>
<link rel="icon" href="data:,">
${sheets}
</head>
<body>
<a class="skip" href="#main">${esc(p.skip)}</a>
<header class="top"><div class="wrap">
<a class="brand" href="${esc(home)}"><span class="firm">${esc(pickText(ctx.siteName, ctx.lang))}</span><span class="sep"></span><span class="what">${esc(p.part)}</span></a>
<nav>${nav}<a class="lang" lang="${other}" hreflang="${other}" href="${esc(p.switchTo.href)}">${esc(p.switchTo.label)}</a></nav>
</div></header>
<main id="main" class="wrap">
${p.body}
</main>
${p.script ? `<script src="${esc(`${ctx.prefix}${p.script}`)}" defer></script>\n` : ''}</body>
</html>
`;
}
