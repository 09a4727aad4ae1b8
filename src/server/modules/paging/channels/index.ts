/** Every staff channel kind paging can send through (the connector service lists them with the action kinds). */
import type { ChannelKindSpec } from '../../connector/index.js';
import { dingtalkChannel } from './dingtalk.js';
import { emailChannel } from './email.js';
import { feishuChannel } from './feishu.js';
import { httpSmsChannel } from './sms-http.js';
import { aliyunSmsChannel } from './sms-aliyun.js';
import { tencentSmsChannel } from './sms-tencent.js';
import { slackChannel } from './slack.js';
import { teamsChannel } from './teams.js';
import { webhookChannel } from './webhook.js';
import { wecomChannel } from './wecom.js';

export const CHANNEL_KINDS: readonly ChannelKindSpec<never, never>[] = [
  emailChannel,
  wecomChannel,
  dingtalkChannel,
  feishuChannel,
  slackChannel,
  teamsChannel,
  aliyunSmsChannel,
  tencentSmsChannel,
  httpSmsChannel,
  webhookChannel,
] as unknown as readonly ChannelKindSpec<never, never>[];
