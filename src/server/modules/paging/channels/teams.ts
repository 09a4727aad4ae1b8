/**
 * Microsoft Teams through a Workflows (Power Automate) webhook — the replacement of the retired Office
 * 365 connectors: POST {base}{path} with `{"type":"message","attachments":[{"contentType":
 * "application/vnd.microsoft.card.adaptive","content": <Adaptive Card 1.4>}]}`; the acknowledge link is
 * an `Action.OpenUrl`. The path with its `sig` query parameter is the secret. Teams answers 200 or 202.
 */
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { ackLabel, BaseUrl, hostOf, postJson } from './common.js';

const Config = z.strictObject({ baseUrl: BaseUrl });
const Secrets = z.strictObject({ path: z.string().startsWith('/').max(2000) });
type TeamsConfig = z.infer<typeof Config>;
type TeamsSecrets = z.infer<typeof Secrets>;

export function teamsRequest(config: TeamsConfig, secrets: TeamsSecrets, m: ChannelMessage) {
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: m.subject, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: m.text, wrap: true },
      ...(m.incidentKey ? [{ type: 'TextBlock', text: m.incidentKey, isSubtle: true }] : []),
    ],
    actions: m.ackUrl ? [{ type: 'Action.OpenUrl', title: ackLabel(m.language), url: m.ackUrl }] : [],
  };
  return {
    url: `${config.baseUrl.replace(/\/$/, '')}${secrets.path}`,
    body: {
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
    },
  };
}

export const teamsChannel: ChannelKindSpec<TeamsConfig, TeamsSecrets> = {
  kind: 'teams',
  purpose: 'channel',
  title: { 'zh-CN': 'Microsoft Teams 工作流 Webhook', en: 'Microsoft Teams workflow webhook' },
  config: Config,
  secrets: Secrets,
  address: 'none',
  hosts: (c) => hostOf(c.baseUrl),
  async send(ctx, m) {
    const { url, body } = teamsRequest(ctx.config, ctx.secrets, m);
    const res = await postJson(ctx, url, body);
    return { detail: `Teams answered ${res.status}` };
  },
};
