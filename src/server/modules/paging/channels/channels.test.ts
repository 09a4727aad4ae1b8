import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpStandIn } from '../../../sandbox/mail.js';
import type { ChannelMessage } from '../../connector/index.js';
import { dingtalkRequest, dingtalkSign } from './dingtalk.js';
import { emailChannel } from './email.js';
import { feishuRequest, feishuSign } from './feishu.js';
import { aliyunRequest, aliyunSignature, popEncode } from './sms-aliyun.js';
import { fillTemplate } from './sms-http.js';
import { tc3Authorization, tencentRequest } from './sms-tencent.js';
import { slackRequest } from './slack.js';
import { teamsRequest } from './teams.js';
import { directContext } from './test-context.js';
import { webhookRequest, webhookSignature } from './webhook.js';
import { wecomRequest } from './wecom.js';

const NOW = Date.UTC(2026, 11, 3, 6, 0, 0);
const zh: ChannelMessage = {
  to: 'zhang.wei@example.com',
  language: 'zh-CN',
  subject: '呼叫：INC-2026-0001 撞库攻击',
  text: '您正在值班，请处理。',
  ackUrl: 'https://tocsin.example.com/ack/abc.def',
  incidentKey: 'INC-2026-0001',
};
const en: ChannelMessage = {
  ...zh,
  language: 'en',
  subject: 'Page: INC-2026-0001 credential stuffing',
  text: 'You are on call.',
};

describe('vendor signatures against their documented examples', () => {
  it('Alibaba Cloud RPC v1.0 signature reproduces the SMS documentation example', () => {
    // Alibaba's SendSms signature example: AccessKeySecret "testSecret", GET, these parameters.
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(aliyunSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(popEncode("a b*~!'()/")).toBe('a%20b%2A~%21%27%28%29%2F');
  });

  it('Tencent Cloud TC3-HMAC-SHA256 reproduces the Signature v3 documentation example', () => {
    const auth = tc3Authorization({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      contentType: 'application/json; charset=utf-8',
      body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      timestamp: 1551113065,
    });
    expect(auth).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
    );
  });

  it('DingTalk: HMAC-SHA256 keyed by the secret over timestamp + "\\n" + secret, base64, url-encoded in the query', () => {
    const secret = 'SEC0123456789abcdef';
    const expected = createHmac('sha256', secret).update(`${NOW}\n${secret}`).digest('base64');
    expect(dingtalkSign(NOW, secret)).toBe(expected);
    const { url, body } = dingtalkRequest(
      { baseUrl: 'https://oapi.dingtalk.com', msgtype: 'markdown' },
      { accessToken: 'tok', secret },
      zh,
      NOW,
    );
    const u = new URL(url);
    expect(u.pathname).toBe('/robot/send');
    expect(u.searchParams.get('access_token')).toBe('tok');
    expect(u.searchParams.get('timestamp')).toBe(String(NOW)); // milliseconds
    expect(u.searchParams.get('sign')).toBe(expected);
    expect(url).toContain(`sign=${encodeURIComponent(expected)}`);
    expect(body).toMatchObject({ msgtype: 'markdown', markdown: { title: zh.subject } });
    expect((body as { markdown: { text: string } }).markdown.text).toContain(`(${zh.ackUrl})`);
  });

  it('Feishu: timestamp + "\\n" + secret is the HMAC key over an empty message; seconds; in the body', () => {
    const secret = 'feishu-secret';
    const seconds = Math.floor(NOW / 1000);
    const expected = createHmac('sha256', `${seconds}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
    expect(feishuSign(seconds, secret)).toBe(expected);
    const { url, body } = feishuRequest(
      { baseUrl: 'https://open.feishu.cn' },
      { hookToken: 'hook-1', secret },
      en,
      NOW,
    );
    expect(url).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/hook-1');
    expect(body).toMatchObject({ timestamp: String(seconds), sign: expected, msg_type: 'text' });
    expect(body.content.text).toContain(
      'Acknowledge (one-time link, valid 24 h): https://tocsin.example.com/ack/abc.def',
    );
  });

  it('signed webhook: sha256=hex HMAC of timestamp.body', () => {
    const { body, headers } = webhookRequest(
      { url: 'https://hooks.example.com/tocsin' },
      { signingSecret: 'a-long-signing-secret' },
      en,
      NOW,
    );
    const ts = Math.floor(NOW / 1000);
    expect(headers['x-tocsin-timestamp']).toBe(String(ts));
    const hex = createHmac('sha256', 'a-long-signing-secret').update(`${ts}.${body}`).digest('hex');
    expect(headers['x-tocsin-signature']).toBe(`sha256=${hex}`);
    expect(webhookSignature('other-secret-0000', ts, body)).not.toBe(headers['x-tocsin-signature']);
    expect(JSON.parse(body)).toMatchObject({
      type: 'page',
      language: 'en',
      ackUrl: en.ackUrl,
      incidentKey: 'INC-2026-0001',
    });
  });
});

describe('request formats', () => {
  it('WeCom group robot: key in the URL, markdown or text', () => {
    const md = wecomRequest({ baseUrl: 'https://qyapi.weixin.qq.com', msgtype: 'markdown' }, { key: 'k-1' }, zh);
    expect(md.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1');
    expect(md.body).toEqual({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('**呼叫：INC-2026-0001 撞库攻击**') },
    });
    expect(JSON.stringify(md.body)).toContain('确认（一次性链接，24 小时内有效）');
    const text = wecomRequest({ baseUrl: 'http://127.0.0.1:9/', msgtype: 'text' }, { key: 'k 2' }, en);
    expect(text.url).toBe('http://127.0.0.1:9/cgi-bin/webhook/send?key=k%202');
    expect(text.body).toEqual({ msgtype: 'text', text: { content: expect.stringContaining('You are on call.') } });
  });

  it('Slack mrkdwn escapes and links; Teams sends an Adaptive Card with an OpenUrl action', () => {
    const s = slackRequest(
      { baseUrl: 'https://hooks.slack.com' },
      { path: '/services/T1/B1/x' },
      { ...en, text: 'a <b> & c' },
    );
    expect(s.url).toBe('https://hooks.slack.com/services/T1/B1/x');
    expect(s.body.text).toContain('a &lt;b&gt; &amp; c');
    expect(s.body.text).toContain(`<${en.ackUrl}|Acknowledge (one-time link, valid 24 h)>`);
    const t = teamsRequest(
      { baseUrl: 'https://prod.westus.logic.azure.com' },
      { path: '/workflows/1/triggers/manual/paths/invoke?sig=x' },
      zh,
    );
    const card = t.body.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: '确认（一次性链接，24 小时内有效）', url: zh.ackUrl },
    ]);
  });

  it('Alibaba SendSms: a form POST whose signature verifies; the template by language', () => {
    const config = {
      baseUrl: 'https://dysmsapi.aliyuncs.com',
      regionId: 'cn-hangzhou',
      signName: '证券',
      templateCode: 'SMS_1',
      templateCodeEn: 'SMS_2',
    };
    const { body, params } = aliyunRequest(
      config,
      { accessKeyId: 'id', accessKeySecret: 'sec' },
      { ...en, to: '13800000000' },
      NOW,
      'n-1',
    );
    expect(params).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      TemplateCode: 'SMS_2',
      Timestamp: '2026-12-03T06:00:00Z',
      PhoneNumbers: '13800000000',
    });
    const form = Object.fromEntries(new URLSearchParams(body));
    const { Signature, ...rest } = form;
    expect(aliyunSignature('POST', rest, 'sec')).toBe(Signature);
    expect(JSON.parse(form.TemplateParam!)).toEqual({
      incident: 'INC-2026-0001',
      title: en.subject.slice(0, 35),
      link: en.ackUrl,
    });
  });

  it('Tencent SendSms: JSON body, X-TC headers, Authorization over the host actually called', () => {
    const config = {
      baseUrl: 'http://127.0.0.1:8080',
      region: 'ap-guangzhou',
      smsSdkAppId: '1400000000',
      signName: '证券',
      templateId: '1',
    };
    const { url, body, headers } = tencentRequest(
      config,
      { secretId: 'AKID1', secretKey: 'key' },
      { ...zh, to: '+8613800000000' },
      NOW,
    );
    expect(url).toBe('http://127.0.0.1:8080/');
    expect(JSON.parse(body)).toMatchObject({
      PhoneNumberSet: ['+8613800000000'],
      SmsSdkAppId: '1400000000',
      TemplateId: '1',
    });
    expect(headers).toMatchObject({
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-timestamp': String(NOW / 1000),
    });
    expect(headers.authorization).toBe(
      tc3Authorization({
        secretId: 'AKID1',
        secretKey: 'key',
        service: 'sms',
        host: '127.0.0.1:8080',
        contentType: headers['content-type'],
        body,
        timestamp: NOW / 1000,
      }),
    );
    expect(headers.authorization).toContain(`Credential=AKID1/2026-12-03/sms/tc3_request`);
    expect(createHash('sha256').update(body).digest('hex')).toHaveLength(64);
  });

  it('generic SMS gateway: placeholders filled JSON-escaped', () => {
    const filled = fillTemplate('{"phone":"{{to}}","msg":"{{text}}","x":"{{nope}}"}', {
      ...en,
      to: '138',
      text: 'say "hi"\n',
    });
    const parsed = JSON.parse(filled);
    expect(parsed.phone).toBe('138');
    expect(parsed.msg).toContain('say "hi"');
    expect(parsed.x).toBe('');
  });
});

describe('email over SMTP (nodemailer)', () => {
  const smtp = new SmtpStandIn();
  let port = 0;
  beforeAll(async () => {
    port = await smtp.listen(0);
  });
  afterAll(() => smtp.close());

  it('connects to the resolved address and delivers subject, text and the acknowledge link', async () => {
    const ctx = directContext(
      'mail',
      { host: 'smtp.example.com', port, tls: 'none' as const, from: 'tocsin@example.com' },
      {},
      () => NOW,
    );
    const result = await emailChannel.send(ctx, zh);
    expect(result.detail).toMatch(/^250/);
    const m = smtp.messages.at(-1)!;
    expect(m.rcptTo).toEqual(['zhang.wei@example.com']);
    expect(m.mailFrom).toBe('tocsin@example.com');
    expect(m.raw).toContain('Content-Language: zh-CN');
    expect(m.subject).toMatch(/=\?UTF-8\?/); // encoded word: the subject is not ASCII
  });
});
