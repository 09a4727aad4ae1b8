/**
 * Tencent Cloud SMS (腾讯云短信) SendSms, API 3.0, signed with TC3-HMAC-SHA256: the canonical request
 * (method, "/", empty query, the signed headers `content-type` and `host`, hex SHA-256 of the body) is
 * hashed into StringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + date + "/sms/tc3_request\n" +
 * hex(SHA-256(canonical)); the key is derived HMAC("TC3" + SecretKey, date) -> service -> "tc3_request";
 * the signature is its hex HMAC of StringToSign, in `Authorization`. Errors come back with HTTP 200 as
 * `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure",…}}}`.
 */
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { BaseUrl, hostOf, jsonOf } from './common.js';

const Config = z.strictObject({
  baseUrl: BaseUrl.default('https://sms.tencentcloudapi.com'),
  region: z.string().min(1).max(50).default('ap-guangzhou'),
  smsSdkAppId: z.string().min(1).max(50),
  signName: z.string().min(1).max(100),
  /** Template for zh-CN readers with three parameters: incident, title, link. */
  templateId: z.string().min(1).max(50),
  templateIdEn: z.string().min(1).max(50).optional(),
});
const Secrets = z.strictObject({ secretId: z.string().min(1).max(200), secretKey: z.string().min(1).max(200) });
type TencentConfig = z.infer<typeof Config>;
type TencentSecrets = z.infer<typeof Secrets>;

const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  contentType: string;
  body: string;
  /** Seconds. */
  timestamp: number;
}

/** The TC3-HMAC-SHA256 `Authorization` header of a POST to "/" (signed headers content-type and host). */
export function tc3Authorization(i: Tc3Input): string {
  const date = new Date(i.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${i.contentType}\nhost:${i.host}\n`,
    signedHeaders,
    sha256hex(i.body),
  ].join('\n');
  const scope = `${date}/${i.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(i.timestamp), scope, sha256hex(canonical)].join('\n');
  const signing = hmac(hmac(hmac(`TC3${i.secretKey}`, date), i.service), 'tc3_request');
  const signature = createHmac('sha256', signing).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${i.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

export function tencentRequest(config: TencentConfig, secrets: TencentSecrets, m: ChannelMessage, now: number) {
  const url = new URL(`${config.baseUrl.replace(/\/$/, '')}/`);
  const body = JSON.stringify({
    PhoneNumberSet: [m.to],
    SmsSdkAppId: config.smsSdkAppId,
    SignName: config.signName,
    TemplateId: m.language === 'en' ? (config.templateIdEn ?? config.templateId) : config.templateId,
    TemplateParamSet: [m.incidentKey ?? '', m.subject.slice(0, 30), m.ackUrl ?? ''],
  });
  const timestamp = Math.floor(now / 1000);
  const headers = {
    authorization: tc3Authorization({
      secretId: secrets.secretId,
      secretKey: secrets.secretKey,
      service: 'sms',
      host: url.host,
      contentType: CONTENT_TYPE,
      body,
      timestamp,
    }),
    'content-type': CONTENT_TYPE,
    'x-tc-action': 'SendSms',
    'x-tc-timestamp': String(timestamp),
    'x-tc-version': '2021-01-11',
    'x-tc-region': config.region,
  };
  return { url: url.toString(), body, headers };
}

export const tencentSmsChannel: ChannelKindSpec<TencentConfig, TencentSecrets> = {
  kind: 'sms-tencent',
  purpose: 'channel',
  title: { 'zh-CN': '腾讯云短信', en: 'Tencent Cloud SMS' },
  config: Config as z.ZodType<TencentConfig>,
  secrets: Secrets,
  address: 'phone',
  hosts: (c) => hostOf(c.baseUrl),
  async send(ctx, m) {
    const { url, body, headers } = tencentRequest(ctx.config, ctx.secrets, m, ctx.now());
    const answer = jsonOf(await ctx.http({ method: 'POST', url, headers, body }));
    const response = (answer.Response ?? {}) as {
      Error?: { Code: string; Message: string };
      SendStatusSet?: { Code: string; Message: string; SerialNo?: string }[];
    };
    if (response.Error) throw new Error(`Tencent Cloud SMS refused: ${response.Error.Code} ${response.Error.Message}`);
    const status = response.SendStatusSet?.[0];
    if (status?.Code !== 'Ok')
      throw new Error(`Tencent Cloud SMS refused: ${status?.Code ?? 'no status'} ${status?.Message ?? ''}`.trim());
    return { providerId: status.SerialNo, detail: 'Tencent Cloud SMS accepted the message' };
  },
};
