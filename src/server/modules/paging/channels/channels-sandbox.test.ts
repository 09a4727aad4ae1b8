/** Each channel kind against its sandbox stand-in: signed with the right keys it is accepted, with wrong ones refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../../sandbox/index.js';
import { SANDBOX_KEYS as K } from '../../../sandbox/sandbox-keys.js';
import type { ChannelKindSpec, ChannelMessage } from '../../connector/index.js';
import { dingtalkChannel } from './dingtalk.js';
import { feishuChannel } from './feishu.js';
import { aliyunSmsChannel } from './sms-aliyun.js';
import { tencentSmsChannel } from './sms-tencent.js';
import { slackChannel } from './slack.js';
import { teamsChannel } from './teams.js';
import { directContext } from './test-context.js';
import { webhookChannel } from './webhook.js';
import { wecomChannel } from './wecom.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

const message: ChannelMessage = {
  to: '+8613800000000',
  language: 'zh-CN',
  subject: '呼叫：INC-2026-0007',
  text: '请确认。',
  ackUrl: 'http://127.0.0.1/ack/t',
  incidentKey: 'INC-2026-0007',
};

async function attempt<C, S>(spec: ChannelKindSpec<C, S>, config: unknown, secrets: unknown) {
  const ctx = directContext(spec.kind, spec.config.parse(config), spec.secrets.parse(secrets));
  return spec.send(ctx, message);
}

describe('robots and webhooks', () => {
  it('WeCom: the right key is accepted and kept; a wrong one gets errcode 93000', async () => {
    const config = { baseUrl: sandbox.urls.robots };
    await attempt(wecomChannel, config, { key: K.wecomKey });
    expect(sandbox.robotMessages.at(-1)).toMatchObject({ robot: 'wecom', body: { msgtype: 'markdown' } });
    await expect(attempt(wecomChannel, config, { key: 'wrong' })).rejects.toThrow(/errcode 93000/);
  });

  it('DingTalk: a signed request is accepted; a wrong secret is "sign not match" (310000)', async () => {
    const config = { baseUrl: sandbox.urls.robots };
    await attempt(dingtalkChannel, config, { accessToken: K.dingtalkAccessToken, secret: K.dingtalkSecret });
    expect(sandbox.robotMessages.at(-1)).toMatchObject({ robot: 'dingtalk' });
    await expect(
      attempt(dingtalkChannel, config, { accessToken: K.dingtalkAccessToken, secret: 'SECwrong' }),
    ).rejects.toThrow(/errcode 310000 sign not match/);
    await expect(attempt(dingtalkChannel, config, { accessToken: K.dingtalkAccessToken })).rejects.toThrow(/310000/);
  });

  it('Feishu: a signed request is accepted; a wrong secret is code 19021', async () => {
    const config = { baseUrl: sandbox.urls.robots };
    await attempt(feishuChannel, config, { hookToken: K.feishuHookToken, secret: K.feishuSecret });
    expect(sandbox.robotMessages.at(-1)).toMatchObject({ robot: 'feishu', body: { msg_type: 'text' } });
    await expect(attempt(feishuChannel, config, { hookToken: K.feishuHookToken, secret: 'x' })).rejects.toThrow(
      /code 19021/,
    );
  });

  it('Slack and Teams: the secret path is accepted, another refused', async () => {
    await attempt(slackChannel, { baseUrl: sandbox.urls.robots }, { path: K.slackPath });
    expect(sandbox.robotMessages.at(-1)).toMatchObject({ robot: 'slack' });
    await expect(attempt(slackChannel, { baseUrl: sandbox.urls.robots }, { path: '/services/T/B/x' })).rejects.toThrow(
      /HTTP 403/,
    );
    await attempt(teamsChannel, { baseUrl: sandbox.urls.robots }, { path: K.teamsPath });
    expect(sandbox.robotMessages.at(-1)).toMatchObject({ robot: 'teams', body: { type: 'message' } });
    await expect(
      attempt(
        teamsChannel,
        { baseUrl: sandbox.urls.robots },
        { path: '/workflows/sandbox/triggers/manual/paths/invoke?sig=no' },
      ),
    ).rejects.toThrow(/HTTP 401/);
  });

  it('signed webhook: verified over the bytes received; a wrong secret is 401', async () => {
    const config = { url: `${sandbox.urls.robots}/webhook` };
    await attempt(webhookChannel, config, { signingSecret: K.webhookSecret });
    expect(sandbox.robotMessages.at(-1)).toMatchObject({ robot: 'webhook', body: { type: 'page' } });
    await expect(attempt(webhookChannel, config, { signingSecret: 'another-secret-of-length' })).rejects.toThrow(
      /HTTP 401/,
    );
  });
});

describe('SMS gateway', () => {
  const aliyunConfig = () => ({ baseUrl: sandbox.urls.sms, signName: '某证券', templateCode: 'SMS_1' });
  const tencentConfig = () => ({
    baseUrl: sandbox.urls.sms,
    smsSdkAppId: '1400000000',
    signName: '某证券',
    templateId: '1',
  });

  it('Alibaba Cloud: the signature verifies; a wrong secret is SignatureDoesNotMatch', async () => {
    const r = await attempt(aliyunSmsChannel, aliyunConfig(), {
      accessKeyId: K.aliyunAccessKeyId,
      accessKeySecret: K.aliyunAccessKeySecret,
    });
    expect(r.providerId).toMatch(/^sms-/);
    expect(sandbox.smsMessages.at(-1)).toMatchObject({
      vendor: 'aliyun',
      phoneNumbers: ['+8613800000000'],
      templateParams: { incident: 'INC-2026-0007', link: message.ackUrl },
    });
    await expect(
      attempt(aliyunSmsChannel, aliyunConfig(), { accessKeyId: K.aliyunAccessKeyId, accessKeySecret: 'nope' }),
    ).rejects.toThrow(/SignatureDoesNotMatch/);
  });

  it('Tencent Cloud: TC3 verifies; a wrong key is AuthFailure.SignatureFailure', async () => {
    await attempt(tencentSmsChannel, tencentConfig(), { secretId: K.tencentSecretId, secretKey: K.tencentSecretKey });
    expect(sandbox.smsMessages.at(-1)).toMatchObject({
      vendor: 'tencent',
      templateParams: ['INC-2026-0007', message.subject, message.ackUrl],
    });
    await expect(
      attempt(tencentSmsChannel, tencentConfig(), { secretId: K.tencentSecretId, secretKey: 'nope' }),
    ).rejects.toThrow(/AuthFailure.SignatureFailure/);
  });
});
