/**
 * One customer's message (pure): the channel by preference with fallbacks, the language (the
 * customer's, zh-CN when the notice has no English text), the text with its variables filled.
 *
 * Opt-outs: a channel the customer opted out of is never used, mandatory or not; a `marketing`
 * opt-out skips the customer unless the campaign is mandatory (a service notice). Push is addressed by
 * the customer number (the app account), so every customer has it; SMS needs a phone, email an address.
 */
import type { CampaignChannel } from '../../../shared/campaign-schemas.js';
import { renderTemplate, TemplateError } from '../../../shared/template.js';
import { invalid } from '../../platform/errors.js';
import { markdownToPlain } from '../../platform/markdown.js';
import type { CustomerContact } from './campaign-ports.js';

/** The approved notice's text, both languages. */
export interface NoticeText {
  title: { zh: string; en: string };
  body: { zh: string; en: string };
}

export interface Rendered {
  channel: CampaignChannel | 'none';
  language: 'zh-CN' | 'en';
  subject: string;
  text: string;
  /** opted_out | no_contact when nothing can be sent. */
  skipReason: string | null;
}

const hasAddress = (c: CustomerContact, channel: CampaignChannel) =>
  channel === 'sms' ? c.phone !== null : channel === 'email' ? c.email !== null : true;

/** The address a channel sends to. */
export function addressOf(c: CustomerContact, channel: CampaignChannel): string | null {
  return channel === 'sms' ? c.phone : channel === 'email' ? c.email : c.customerNo;
}

export function pickChannel(
  c: CustomerContact,
  channels: readonly CampaignChannel[],
  mandatory: boolean,
): { channel: CampaignChannel | null; reason: string | null } {
  if (!mandatory && c.optOuts.includes('marketing')) return { channel: null, reason: 'opted_out' };
  const preferred = channels.find((ch) => ch === c.channel);
  const order = preferred ? [preferred, ...channels.filter((ch) => ch !== preferred)] : [...channels];
  let optedOut = false;
  for (const ch of order) {
    if (c.optOuts.includes(ch)) {
      optedOut = true;
      continue;
    }
    if (hasAddress(c, ch)) return { channel: ch, reason: null };
  }
  return { channel: null, reason: optedOut ? 'opted_out' : 'no_contact' };
}

function fill(text: string, values: Record<string, string>): string {
  try {
    return renderTemplate(text, values);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    throw invalid(`the notice cannot be filled in: ${err.message}`, [
      { path: 'statementId', message: err.message, code: 'unusable_statement' },
    ]);
  }
}

/**
 * The notice's Markdown as the plain text SMS, push and a text mail carry (no `**`, list numbers kept),
 * converted once per notice text rather than once per customer (a fan-out renders millions).
 */
const plainCache = new Map<string, string>();
function plainOf(markdown: string): string {
  let text = plainCache.get(markdown);
  if (text === undefined) {
    if (plainCache.size >= 64) plainCache.clear();
    text = markdownToPlain(markdown);
    plainCache.set(markdown, text);
  }
  return text;
}

/** The variables a notice may use: {{ name }}, {{ customerNo }}, {{ incidentKey }}. */
export function renderFor(
  notice: NoticeText,
  c: CustomerContact,
  campaign: { channels: readonly CampaignChannel[]; mandatory: boolean; incidentKey: string },
): Rendered {
  const language = c.language === 'en' && notice.body.en.trim() !== '' ? 'en' : 'zh-CN';
  const lang = language === 'en' ? 'en' : 'zh';
  const values = { name: c.name, customerNo: c.customerNo, incidentKey: campaign.incidentKey };
  const subject = fill(notice.title[lang], values);
  const body = fill(plainOf(notice.body[lang]), values);
  const { channel, reason } = pickChannel(c, campaign.channels, campaign.mandatory);
  // SMS and push carry one text: the title as its first line.
  const text = channel === 'email' ? body : `${subject}\n${body}`;
  return { channel: channel ?? 'none', language, subject, text, skipReason: reason };
}
