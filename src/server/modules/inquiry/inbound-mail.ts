/**
 * A customer's email as the inbox takes it (mailparser): the Message-ID and the ones it answers
 * (In-Reply-To, References), the sender, the subject, and the body as plain text — whatever the charset
 * (UTF-8, GBK/GB2312/GB18030, ...) and transfer encoding (quoted-printable, base64); HTML-only mail is
 * reduced to its text (scripts and styles dropped, no markup kept). The quoted tail of a reply (`> `
 * lines, "On ... wrote:", "在 ... 写道：", "-----Original Message-----") is cut off.
 */
import type { AddressObject } from 'mailparser';
import { mailParser } from '../../platform/heavy-libs.js';
import type { InquiryLanguage } from '../../../shared/inquiry-schemas.js';

export interface InboundMail {
  /** Without angle brackets; null when the message has none. */
  messageId: string | null;
  /** In-Reply-To then References, without angle brackets. */
  answers: string[];
  from: { address: string; name: string } | null;
  subject: string;
  text: string;
  language: InquiryLanguage;
}

/** The longest question kept from a mail (characters). */
export const MAX_TEXT = 8_000;

const bare = (id: string) => id.trim().replace(/^<|>$/g, '');
const idsOf = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? v.split(/\s+/) : []).map(bare).filter((s) => s.length > 0 && s.length <= 500);

const QUOTE_START = [
  /^on .{3,200} wrote:\s*$/i,
  /^在.{3,200}写道[:：]?\s*$/,
  /^-{2,}\s*(original message|原始邮件)\s*-{2,}$/i,
  /^(from|发件人)[:：]\s.+$/i,
];

/** The new text of a reply: up to the first quoted line or quote header. */
export function withoutQuote(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const t = line.trim();
    if (t.startsWith('>') || QUOTE_START.some((re) => re.test(t))) break;
    out.push(line.trimEnd());
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const hasCjk = (s: string) => /[\u3400-\u9fff\uf900-\ufaff]/.test(s);

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => {
  const v = (Array.isArray(a) ? a[0] : a)?.value[0];
  return v?.address ? { address: v.address.trim(), name: (v.name ?? '').trim() } : null;
};

export async function parseInbound(raw: Buffer): Promise<InboundMail> {
  const simpleParser = await mailParser();
  const m = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const subject = (m.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
  const text = withoutQuote(m.text ?? '').slice(0, MAX_TEXT);
  return {
    messageId: m.messageId ? bare(m.messageId) || null : null,
    answers: [...new Set([...idsOf(m.inReplyTo), ...idsOf(m.references)])],
    from: firstAddress(m.from),
    subject,
    text,
    language: hasCjk(`${subject}\n${text}`) ? 'zh-CN' : 'en',
  };
}
