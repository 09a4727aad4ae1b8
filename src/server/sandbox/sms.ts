/**
 * The SMS gateway stand-in (docs/sandbox.md, "SMS gateway"): Alibaba Cloud SendSms (a form POST to "/",
 * RPC signature v1.0) and Tencent Cloud SendSms (a JSON POST to "/" with `X-TC-Action: SendSms`,
 * TC3-HMAC-SHA256), each signature verified with the sandbox's demo keys; wrong ones get the vendor's
 * error answer. Accepted messages are kept (`GET /messages`).
 */
import type { Clock } from '../platform/ids.js';
import { aliyunValid, tencentValid } from './signatures.js';
import type { SandboxKeys } from './sandbox-keys.js';
import { type Route, StandIn } from './stand-in.js';

export interface SmsMessage {
  id: string;
  vendor: 'aliyun' | 'tencent';
  phoneNumbers: string[];
  signName: string;
  templateCode: string;
  templateParams: unknown;
  receivedAt: string;
}

export function smsGateway(keys: SandboxKeys, clock?: Clock): StandIn & { messages: SmsMessage[] } {
  const messages: SmsMessage[] = [];
  const requestId = () => `sandbox-${messages.length + 1}-${Date.now().toString(36)}`;

  const aliyun = (raw: string, now: number) => {
    const form = new URLSearchParams(raw);
    if (form.get('AccessKeyId') !== keys.aliyunAccessKeyId)
      return {
        status: 404,
        body: {
          Code: 'InvalidAccessKeyId.NotFound',
          Message: 'Specified access key is not found.',
          RequestId: requestId(),
        },
      };
    if (!aliyunValid('POST', form, keys.aliyunAccessKeySecret))
      return {
        status: 400,
        body: {
          Code: 'SignatureDoesNotMatch',
          Message: 'Specified signature is not matched with our calculation.',
          RequestId: requestId(),
        },
      };
    if (form.get('Action') !== 'SendSms')
      return {
        status: 400,
        body: { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found', RequestId: requestId() },
      };
    const id = `sms-${messages.length + 1}`;
    let params: unknown = form.get('TemplateParam');
    try {
      params = JSON.parse(String(params));
    } catch {
      // kept as text
    }
    messages.push({
      id,
      vendor: 'aliyun',
      phoneNumbers: (form.get('PhoneNumbers') ?? '').split(','),
      signName: form.get('SignName') ?? '',
      templateCode: form.get('TemplateCode') ?? '',
      templateParams: params,
      receivedAt: new Date(now).toISOString(),
    });
    return { status: 200, body: { Code: 'OK', Message: 'OK', BizId: id, RequestId: requestId() } };
  };

  const tencent = (headers: Record<string, string>, raw: string, now: number) => {
    const reqId = requestId();
    const error = (Code: string, Message: string) => ({
      status: 200,
      body: { Response: { Error: { Code, Message }, RequestId: reqId } },
    });
    if (!tencentValid(headers, raw, keys.tencentSecretId, keys.tencentSecretKey))
      return error(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      );
    if (Math.abs(Number(headers['x-tc-timestamp']) * 1000 - now) > 5 * 60_000)
      return error('AuthFailure.SignatureExpire', 'Signature expired.');
    if (headers['x-tc-action'] !== 'SendSms') return error('InvalidAction', 'the action is not found');
    let b: { PhoneNumberSet?: string[]; SignName?: string; TemplateId?: string; TemplateParamSet?: string[] };
    try {
      b = JSON.parse(raw);
    } catch {
      return error('InvalidParameter', 'the body is not JSON');
    }
    const set = b.PhoneNumberSet ?? [];
    const id = `sms-${messages.length + 1}`;
    messages.push({
      id,
      vendor: 'tencent',
      phoneNumbers: set,
      signName: b.SignName ?? '',
      templateCode: b.TemplateId ?? '',
      templateParams: b.TemplateParamSet ?? [],
      receivedAt: new Date(now).toISOString(),
    });
    return {
      status: 200,
      body: {
        Response: {
          SendStatusSet: set.map((PhoneNumber) => ({
            SerialNo: id,
            PhoneNumber,
            Fee: 1,
            Code: 'Ok',
            Message: 'send success',
          })),
          RequestId: reqId,
        },
      },
    };
  };

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/$/,
      handle: ({ headers, raw, now }) => (headers['x-tc-action'] ? tencent(headers, raw, now) : aliyun(raw, now)),
    },
    { method: 'GET', pattern: /^\/messages$/, handle: () => ({ status: 200, body: { messages } }) },
  ];
  return Object.assign(new StandIn({ name: 'sms', routes, clock }), { messages });
}
