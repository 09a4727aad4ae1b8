/**
 * The mails to subscribers, in their language: the confirmation (double opt-in) and an announcement's
 * publication. Every mail carries the one-click unsubscribe link in its text, its HTML and the
 * `List-Unsubscribe` / `List-Unsubscribe-Post` headers (RFC 8058), so mail clients offer it too.
 * Rich text comes from the announcement's Markdown through platform/markdown.ts, nothing else.
 */
import { nodeMailer } from '../../platform/heavy-libs.js';
import type { SubscriberLanguage } from '../../../shared/subscription-schemas.js';
import { markdownToText, renderMarkdown } from '../../platform/markdown.js';
import type { AnnouncementForSubscribers } from './announcement-reader.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: SubscriberLanguage;
  unsubscribeUrl: string;
}

/** Sends one mail; null when no SMTP server is configured (TOCSIN_SMTP_URL). */
export type Mailer = (mail: OutgoingMail) => Promise<void>;

/** A mailer over the SMTP server of `smtpUrl` (nodemailer's URL form), from `from`. */
export function createMailer(opts: { smtpUrl: string; from: string }): Mailer {
  return async (m) => {
    const transport = (await nodeMailer()).createTransport({
      url: opts.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    try {
      await transport.sendMail({
        from: opts.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        // Readable in a raw mailbox (the sandbox keeps messages undecoded) and by every client.
        textEncoding: 'quoted-printable',
        headers: {
          'Content-Language': m.language,
          'List-Unsubscribe': `<${m.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          // Bulk status mail: auto-responders stay quiet.
          'Auto-Submitted': 'auto-generated',
          Precedence: 'bulk',
        },
      });
    } finally {
      transport.close();
    }
  };
}

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const T = {
  'zh-CN': {
    confirmSubject: '请确认订阅服务状态通知',
    confirmText: '您（或他人使用您的邮箱）申请订阅服务状态通知。请点击以下链接确认订阅（7 天内有效）：',
    confirmIgnore: '如果这不是您本人的操作，请忽略本邮件，您不会收到任何通知。',
    confirmLink: '确认订阅',
    unsubscribe: '退订',
    unsubscribeLine: '不想再收到这些邮件？一键退订：',
    readMore: '查看详情：',
    status: {
      investigating: '调查中',
      identified: '已定位',
      monitoring: '观察中',
      resolved: '已解决',
    },
  },
  en: {
    confirmSubject: 'Please confirm your subscription to status updates',
    confirmText:
      'You (or someone using your address) asked for status updates by email. Confirm the subscription with this link (valid 7 days):',
    confirmIgnore: 'If this was not you, ignore this mail: you will receive nothing.',
    confirmLink: 'Confirm subscription',
    unsubscribe: 'Unsubscribe',
    unsubscribeLine: 'No longer want these mails? Unsubscribe with one click:',
    readMore: 'Read more:',
    status: {
      investigating: 'Investigating',
      identified: 'Identified',
      monitoring: 'Monitoring',
      resolved: 'Resolved',
    },
  },
} as const;

const page = (lang: SubscriberLanguage, body: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:40em">${body}</body></html>`;

/** The double opt-in mail: the confirm link, and the unsubscribe link as every mail has. */
export function confirmationMail(
  to: string,
  lang: SubscriberLanguage,
  links: { confirmUrl: string; unsubscribeUrl: string },
): OutgoingMail {
  const t = T[lang];
  const text = [
    t.confirmText,
    '',
    links.confirmUrl,
    '',
    t.confirmIgnore,
    '',
    `${t.unsubscribeLine} ${links.unsubscribeUrl}`,
  ].join('\n');
  const html = page(
    lang,
    [
      `<p>${esc(t.confirmText)}</p>`,
      `<p><a href="${esc(links.confirmUrl)}">${esc(t.confirmLink)}</a></p>`,
      `<p>${esc(t.confirmIgnore)}</p>`,
      `<p style="font-size:small">${esc(t.unsubscribeLine)} <a href="${esc(links.unsubscribeUrl)}">${esc(t.unsubscribe)}</a></p>`,
    ].join('\n'),
  );
  return { to, subject: t.confirmSubject, text, html, language: lang, unsubscribeUrl: links.unsubscribeUrl };
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };
/** `markdownToText` keeps HTML's escapes (it is made for HTML contexts too); a text/plain part shows them undone. */
const plain = (s: string) => s.replace(/&(lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e]!);

/** A text in the subscriber's language; English falls back to Chinese where it was left empty. */
export const pick = (b: { zh: string; en: string }, lang: SubscriberLanguage) =>
  lang === 'en' && b.en.trim() ? b.en : b.zh;

/** The mail of a published announcement or update: title, status, the update's text, the link, unsubscribe. */
export function announcementMail(
  to: string,
  lang: SubscriberLanguage,
  a: AnnouncementForSubscribers,
  links: { pageUrl: string; unsubscribeUrl: string },
): OutgoingMail {
  const t = T[lang];
  const title = pick(a.title, lang);
  const status = t.status[a.status];
  const body = pick(a.body, lang);
  const text = [
    `${title} — ${status}`,
    '',
    plain(markdownToText(body)),
    '',
    `${t.readMore} ${links.pageUrl}`,
    '',
    `${t.unsubscribeLine} ${links.unsubscribeUrl}`,
  ].join('\n');
  const html = page(
    lang,
    [
      `<h1 style="font-size:1.3em">${esc(title)}</h1>`,
      `<p><strong>${esc(status)}</strong></p>`,
      renderMarkdown(body),
      `<p><a href="${esc(links.pageUrl)}">${esc(t.readMore)}</a></p>`,
      `<p style="font-size:small">${esc(t.unsubscribeLine)} <a href="${esc(links.unsubscribeUrl)}">${esc(t.unsubscribe)}</a></p>`,
    ].join('\n'),
  );
  return { to, subject: `[${status}] ${title}`, text, html, language: lang, unsubscribeUrl: links.unsubscribeUrl };
}
