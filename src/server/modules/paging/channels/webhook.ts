/**
 * A generic signed webhook: POST of a JSON body with `X-Tocsin-Timestamp` (seconds) and
 * `X-Tocsin-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`. A receiver recomputes
 * the HMAC over the bytes it received, compares in constant time and refuses a timestamp more than
 * five minutes away from its clock (replays).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { BaseUrl, hostOf, postJson } from './common.js';

const Config = z.strictObject({ url: BaseUrl });
const Secrets = z.strictObject({ signingSecret: z.string().min(16).max(500) });
type WebhookConfig = z.infer<typeof Config>;
type WebhookSecrets = z.infer<typeof Secrets>;

export const webhookSignature = (secret: string, timestampSeconds: number, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;

export function webhookRequest(config: WebhookConfig, secrets: WebhookSecrets, m: ChannelMessage, now: number) {
  const seconds = Math.floor(now / 1000);
  const body = JSON.stringify({
    type: 'page',
    to: m.to,
    language: m.language,
    subject: m.subject,
    text: m.text,
    incidentKey: m.incidentKey ?? null,
    ackUrl: m.ackUrl ?? null,
    sentAt: new Date(now).toISOString(),
  });
  const headers = {
    'x-tocsin-timestamp': String(seconds),
    'x-tocsin-signature': webhookSignature(secrets.signingSecret, seconds, body),
  };
  return { url: config.url, body, headers };
}

export const webhookChannel: ChannelKindSpec<WebhookConfig, WebhookSecrets> = {
  kind: 'webhook',
  purpose: 'channel',
  title: { 'zh-CN': '签名 Webhook', en: 'Signed webhook' },
  config: Config,
  secrets: Secrets,
  address: 'none',
  hosts: (c) => hostOf(c.url),
  async send(ctx, m) {
    const { url, body, headers } = webhookRequest(ctx.config, ctx.secrets, m, ctx.now());
    const res = await postJson(ctx, url, body, headers);
    return { detail: `webhook answered ${res.status}` };
  },
};
