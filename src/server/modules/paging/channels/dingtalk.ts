/**
 * DingTalk (钉钉) custom robot: POST {base}/robot/send?access_token=T. With "加签" (signing) the URL
 * also carries `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(key = secret,
 * message = timestamp + "\n" + secret))); DingTalk refuses a timestamp more than an hour off. The
 * answer is `{"errcode":0,"errmsg":"ok"}`; 310000 is "sign not match" (or keywords / IP not allowed).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { BaseUrl, hostOf, jsonOf, markdown, plainText, postJson } from './common.js';

const Config = z.strictObject({
  baseUrl: BaseUrl.default('https://oapi.dingtalk.com'),
  msgtype: z.enum(['markdown', 'text']).default('markdown'),
});
const Secrets = z.strictObject({
  accessToken: z.string().min(1).max(200),
  /** The "SEC…" signing secret; absent when the robot is not set to sign. */
  secret: z.string().min(1).max(200).optional(),
});
type DingtalkConfig = z.infer<typeof Config>;
type DingtalkSecrets = z.infer<typeof Secrets>;

/** DingTalk's signature of a timestamp (ms), base64 (not yet url-encoded). */
export const dingtalkSign = (timestamp: number, secret: string): string =>
  createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');

export function dingtalkRequest(config: DingtalkConfig, secrets: DingtalkSecrets, m: ChannelMessage, now: number) {
  let url = `${config.baseUrl.replace(/\/$/, '')}/robot/send?access_token=${encodeURIComponent(secrets.accessToken)}`;
  if (secrets.secret) {
    url += `&timestamp=${now}&sign=${encodeURIComponent(dingtalkSign(now, secrets.secret))}`;
  }
  const body =
    config.msgtype === 'markdown'
      ? { msgtype: 'markdown', markdown: { title: m.subject, text: markdown(m) } }
      : { msgtype: 'text', text: { content: plainText(m) } };
  return { url, body };
}

export const dingtalkChannel: ChannelKindSpec<DingtalkConfig, DingtalkSecrets> = {
  kind: 'dingtalk',
  purpose: 'channel',
  title: { 'zh-CN': '钉钉群机器人', en: 'DingTalk group robot' },
  config: Config as z.ZodType<DingtalkConfig>,
  secrets: Secrets,
  address: 'none',
  hosts: (c) => hostOf(c.baseUrl),
  async send(ctx, m) {
    const { url, body } = dingtalkRequest(ctx.config, ctx.secrets, m, ctx.now());
    const answer = jsonOf(await postJson(ctx, url, body));
    if (answer.errcode !== 0)
      throw new Error(`DingTalk refused: errcode ${answer.errcode} ${answer.errmsg ?? ''}`.trim());
    return { detail: 'DingTalk robot accepted the message' };
  },
};
