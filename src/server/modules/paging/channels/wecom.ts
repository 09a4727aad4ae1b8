/**
 * WeCom (企业微信) group robot: POST {base}/cgi-bin/webhook/send?key=KEY with `msgtype` `markdown` or
 * `text`; the key in the URL is the robot's only credential. The answer is `{"errcode":0,"errmsg":"ok"}`;
 * any other errcode is a refusal (93000: invalid webhook URL).
 */
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { BaseUrl, hostOf, jsonOf, markdown, plainText, postJson } from './common.js';

const Config = z.strictObject({
  baseUrl: BaseUrl.default('https://qyapi.weixin.qq.com'),
  msgtype: z.enum(['markdown', 'text']).default('markdown'),
});
const Secrets = z.strictObject({ key: z.string().min(1).max(200) });
type WecomConfig = z.infer<typeof Config>;
type WecomSecrets = z.infer<typeof Secrets>;

/** The URL and body WeCom documents for a group robot message. */
export function wecomRequest(config: WecomConfig, secrets: WecomSecrets, m: ChannelMessage) {
  const url = `${config.baseUrl.replace(/\/$/, '')}/cgi-bin/webhook/send?key=${encodeURIComponent(secrets.key)}`;
  const body =
    config.msgtype === 'markdown'
      ? { msgtype: 'markdown', markdown: { content: markdown(m) } }
      : { msgtype: 'text', text: { content: plainText(m) } };
  return { url, body };
}

export const wecomChannel: ChannelKindSpec<WecomConfig, WecomSecrets> = {
  kind: 'wecom',
  purpose: 'channel',
  title: { 'zh-CN': '企业微信群机器人', en: 'WeCom group robot' },
  config: Config as z.ZodType<WecomConfig>,
  secrets: Secrets,
  address: 'none',
  hosts: (c) => hostOf(c.baseUrl),
  async send(ctx, m) {
    const { url, body } = wecomRequest(ctx.config, ctx.secrets, m);
    const answer = jsonOf(await postJson(ctx, url, body));
    if (answer.errcode !== 0) throw new Error(`WeCom refused: errcode ${answer.errcode} ${answer.errmsg ?? ''}`.trim());
    return { detail: 'WeCom robot accepted the message' };
  },
};
