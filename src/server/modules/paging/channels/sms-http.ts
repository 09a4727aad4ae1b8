/**
 * A generic SMS gateway over HTTP: POST of a JSON body made from a template in which `{{to}}`,
 * `{{text}}`, `{{subject}}`, `{{incidentKey}}`, `{{ackUrl}}` and `{{language}}` are replaced by
 * JSON-escaped values (so a template stays valid JSON whatever the message holds); an optional bearer
 * token. Any 2xx is success.
 */
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { BaseUrl, hostOf, plainText, postJson } from './common.js';

const DEFAULT_TEMPLATE = '{"to":"{{to}}","text":"{{text}}"}';

const Config = z.strictObject({
  url: BaseUrl,
  bodyTemplate: z
    .string()
    .max(4000)
    .default(DEFAULT_TEMPLATE)
    .refine((t) => {
      try {
        JSON.parse(t.replace(/\{\{\w+\}\}/g, ''));
        return true;
      } catch {
        return false;
      }
    }, 'the template must be JSON once its {{placeholders}} are filled'),
});
const Secrets = z.strictObject({ token: z.string().min(1).max(500).optional() });
type SmsHttpConfig = z.infer<typeof Config>;
type SmsHttpSecrets = z.infer<typeof Secrets>;

/** The template with its placeholders filled (unknown placeholders become empty). */
export function fillTemplate(template: string, m: ChannelMessage): string {
  const values: Record<string, string> = {
    to: m.to,
    text: plainText(m),
    subject: m.subject,
    incidentKey: m.incidentKey ?? '',
    ackUrl: m.ackUrl ?? '',
    language: m.language,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
}

export const httpSmsChannel: ChannelKindSpec<SmsHttpConfig, SmsHttpSecrets> = {
  kind: 'sms-http',
  purpose: 'channel',
  title: { 'zh-CN': '通用短信网关（HTTP）', en: 'Generic SMS gateway (HTTP)' },
  config: Config as z.ZodType<SmsHttpConfig>,
  secrets: Secrets,
  address: 'phone',
  hosts: (c) => hostOf(c.url),
  async send(ctx, m) {
    const body = fillTemplate(ctx.config.bodyTemplate, m);
    const headers: Record<string, string> = ctx.secrets.token ? { authorization: `Bearer ${ctx.secrets.token}` } : {};
    const res = await postJson(ctx, ctx.config.url, body, headers);
    return { detail: `gateway answered ${res.status}` };
  },
};
