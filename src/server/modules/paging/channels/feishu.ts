/**
 * Feishu (飞书) custom robot: POST {base}/open-apis/bot/v2/hook/TOKEN with `msg_type` `text` (or `post`).
 * With signature verification the JSON body also carries `timestamp` (seconds, as a string) and `sign` =
 * base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)) — the string to sign is the KEY.
 * The answer is `{"code":0,"msg":"success"}` (older robots: `StatusCode: 0`); 19021 is a bad signature
 * or a timestamp more than an hour off.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { BaseUrl, hostOf, jsonOf, plainText, postJson } from './common.js';

const Config = z.strictObject({ baseUrl: BaseUrl.default('https://open.feishu.cn') });
const Secrets = z.strictObject({
  hookToken: z.string().min(1).max(200),
  secret: z.string().min(1).max(200).optional(),
});
type FeishuConfig = z.infer<typeof Config>;
type FeishuSecrets = z.infer<typeof Secrets>;

/** Feishu's signature of a timestamp in seconds. */
export const feishuSign = (timestampSeconds: number, secret: string): string =>
  createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');

export function feishuRequest(config: FeishuConfig, secrets: FeishuSecrets, m: ChannelMessage, now: number) {
  const url = `${config.baseUrl.replace(/\/$/, '')}/open-apis/bot/v2/hook/${encodeURIComponent(secrets.hookToken)}`;
  const seconds = Math.floor(now / 1000);
  const signature = secrets.secret ? { timestamp: String(seconds), sign: feishuSign(seconds, secrets.secret) } : {};
  return { url, body: { ...signature, msg_type: 'text', content: { text: plainText(m) } } };
}

export const feishuChannel: ChannelKindSpec<FeishuConfig, FeishuSecrets> = {
  kind: 'feishu',
  purpose: 'channel',
  title: { 'zh-CN': '飞书群机器人', en: 'Feishu group robot' },
  config: Config as z.ZodType<FeishuConfig>,
  secrets: Secrets,
  address: 'none',
  hosts: (c) => hostOf(c.baseUrl),
  async send(ctx, m) {
    const { url, body } = feishuRequest(ctx.config, ctx.secrets, m, ctx.now());
    const answer = jsonOf(await postJson(ctx, url, body));
    const code = answer.code ?? answer.StatusCode;
    if (code !== 0) throw new Error(`Feishu refused: code ${code} ${answer.msg ?? answer.StatusMessage ?? ''}`.trim());
    return { detail: 'Feishu robot accepted the message' };
  },
};
