/**
 * Email over SMTP with nodemailer. The connection goes to the address the context's guard resolved
 * (`ctx.resolve(host)`), never to a second DNS answer, with the TLS server name set to the configured
 * host so its certificate is checked against that name. `tls`: `implicit` (SMTPS, usually port 465),
 * `starttls` (required: the session fails rather than going on in clear) or `none` (plain; a loopback
 * sandbox only).
 */
import { nodeMailer } from '../../../platform/heavy-libs.js';
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { ackLabel, plainText } from './common.js';

const Config = z.strictObject({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(587),
  tls: z.enum(['implicit', 'starttls', 'none']).default('starttls'),
  user: z.string().max(200).optional(),
  from: z.string().min(3).max(320),
});
const Secrets = z.strictObject({ password: z.string().max(500).optional() });
type EmailConfig = z.infer<typeof Config>;
type EmailSecrets = z.infer<typeof Secrets>;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The mail nodemailer sends: plain text and a small HTML part with the acknowledge link as a button. */
export function emailContent(config: EmailConfig, m: ChannelMessage) {
  const html = [
    `<p><strong>${escapeHtml(m.subject)}</strong></p>`,
    `<p style="white-space:pre-wrap">${escapeHtml(m.text)}</p>`,
    m.incidentKey ? `<p>${escapeHtml(m.incidentKey)}</p>` : '',
    m.ackUrl ? `<p><a href="${escapeHtml(m.ackUrl)}">${escapeHtml(ackLabel(m.language))}</a></p>` : '',
  ].join('\n');
  return {
    from: config.from,
    to: m.to,
    subject: m.subject,
    text: plainText(m),
    html,
    headers: { 'Content-Language': m.language },
  };
}

export const emailChannel: ChannelKindSpec<EmailConfig, EmailSecrets> = {
  kind: 'email',
  purpose: 'channel',
  title: { 'zh-CN': '电子邮件（SMTP）', en: 'Email (SMTP)' },
  config: Config as z.ZodType<EmailConfig>,
  secrets: Secrets,
  address: 'email',
  hosts: (c) => [c.host],
  async send(ctx, m) {
    const { config, secrets } = ctx;
    const target = await ctx.resolve(config.host);
    const transport = (await nodeMailer()).createTransport({
      host: target.address,
      port: config.port,
      secure: config.tls === 'implicit',
      requireTLS: config.tls === 'starttls',
      ignoreTLS: config.tls === 'none',
      tls: { servername: config.host },
      auth: config.user ? { user: config.user, pass: secrets.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    try {
      const info = await transport.sendMail(emailContent(config, m));
      return { providerId: info.messageId, detail: info.response };
    } finally {
      transport.close();
    }
  },
};
