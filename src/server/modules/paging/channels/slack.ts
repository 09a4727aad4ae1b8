/**
 * Slack incoming webhook: POST {base}{path} (`/services/T…/B…/…`, the secret) with `{"text": …}` in
 * mrkdwn (links as `<url|label>`) and a section block. Slack answers 200 `ok`, or 400/403/404 with a
 * reason such as `invalid_token` or `no_service`.
 */
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { ackLabel, BaseUrl, hostOf, postJson } from './common.js';

const Config = z.strictObject({ baseUrl: BaseUrl.default('https://hooks.slack.com') });
const Secrets = z.strictObject({
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]+$/)
    .max(500),
});
type SlackConfig = z.infer<typeof Config>;
type SlackSecrets = z.infer<typeof Secrets>;

const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackRequest(config: SlackConfig, secrets: SlackSecrets, m: ChannelMessage) {
  const lines = [`*${slackEscape(m.subject)}*`, slackEscape(m.text)];
  if (m.incidentKey) lines.push(slackEscape(m.incidentKey));
  if (m.ackUrl) lines.push(`<${m.ackUrl}|${slackEscape(ackLabel(m.language))}>`);
  const text = lines.join('\n');
  return {
    url: `${config.baseUrl.replace(/\/$/, '')}${secrets.path}`,
    body: { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
  };
}

export const slackChannel: ChannelKindSpec<SlackConfig, SlackSecrets> = {
  kind: 'slack',
  purpose: 'channel',
  title: { 'zh-CN': 'Slack 传入 Webhook', en: 'Slack incoming webhook' },
  config: Config as z.ZodType<SlackConfig>,
  secrets: Secrets,
  address: 'none',
  hosts: (c) => hostOf(c.baseUrl),
  async send(ctx, m) {
    const { url, body } = slackRequest(ctx.config, ctx.secrets, m);
    const res = await postJson(ctx, url, body);
    return { detail: `Slack answered ${res.status} ${res.body.slice(0, 50)}`.trim() };
  },
};
