/**
 * Alibaba Cloud SMS (阿里云短信服务) SendSms, RPC style, signature version 1.0: every parameter but
 * `Signature` sorted by name, each name and value "POP"-encoded (RFC 3986: only A-Z a-z 0-9 - _ . ~
 * left as they are, space as %20), joined `k=v&…`; StringToSign = METHOD + "&" + pop("/") + "&" +
 * pop(canonicalized); Signature = base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)). Sent as
 * a form POST. Success is `{"Code":"OK",…,"BizId":…}`; a bad signature is HTTP 400
 * `{"Code":"SignatureDoesNotMatch",…}`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { BaseUrl, hostOf, jsonOf } from './common.js';

const Config = z.strictObject({
  baseUrl: BaseUrl.default('https://dysmsapi.aliyuncs.com'),
  regionId: z.string().min(1).max(50).default('cn-hangzhou'),
  signName: z.string().min(1).max(100),
  /** Template for zh-CN readers, with the variables `incident`, `title` and `link`. */
  templateCode: z.string().min(1).max(100),
  /** Template for English readers (default: the zh-CN one). */
  templateCodeEn: z.string().min(1).max(100).optional(),
});
const Secrets = z.strictObject({
  accessKeyId: z.string().min(1).max(200),
  accessKeySecret: z.string().min(1).max(200),
});
type AliyunConfig = z.infer<typeof Config>;
type AliyunSecrets = z.infer<typeof Secrets>;

/** Alibaba's "POP" percent-encoding (RFC 3986 unreserved characters only). */
export const popEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The RPC signature (v1.0) of parameters sent with `method`. */
export function aliyunSignature(method: string, params: Record<string, string>, accessKeySecret: string): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${popEncode(k)}=${popEncode(params[k]!)}`)
    .join('&');
  const stringToSign = `${method}&${popEncode('/')}&${popEncode(canonical)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** Alibaba's `Timestamp`: ISO 8601 in UTC without milliseconds. */
const aliyunTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function aliyunRequest(
  config: AliyunConfig,
  secrets: AliyunSecrets,
  m: ChannelMessage,
  now: number,
  nonce: string = randomUUID(),
) {
  const params: Record<string, string> = {
    AccessKeyId: secrets.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: m.to,
    RegionId: config.regionId,
    SignName: config.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: m.language === 'en' ? (config.templateCodeEn ?? config.templateCode) : config.templateCode,
    TemplateParam: JSON.stringify({
      incident: m.incidentKey ?? '',
      title: m.subject.slice(0, 35),
      link: m.ackUrl ?? '',
    }),
    Timestamp: aliyunTime(now),
    Version: '2017-05-25',
  };
  params.Signature = aliyunSignature('POST', params, secrets.accessKeySecret);
  const body = Object.entries(params)
    .map(([k, v]) => `${popEncode(k)}=${popEncode(v)}`)
    .join('&');
  return { url: `${config.baseUrl.replace(/\/$/, '')}/`, body, params };
}

export const aliyunSmsChannel: ChannelKindSpec<AliyunConfig, AliyunSecrets> = {
  kind: 'sms-aliyun',
  purpose: 'channel',
  title: { 'zh-CN': '阿里云短信', en: 'Alibaba Cloud SMS' },
  config: Config as z.ZodType<AliyunConfig>,
  secrets: Secrets,
  address: 'phone',
  hosts: (c) => hostOf(c.baseUrl),
  async send(ctx, m) {
    const { url, body } = aliyunRequest(ctx.config, ctx.secrets, m, ctx.now());
    const res = await ctx.http({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    const answer = jsonOf(res);
    if (answer.Code !== 'OK')
      throw new Error(`Alibaba Cloud SMS refused: ${answer.Code} ${answer.Message ?? ''}`.trim());
    return { providerId: String(answer.BizId ?? ''), detail: 'Alibaba Cloud SMS accepted the message' };
  },
};
