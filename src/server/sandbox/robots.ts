/**
 * Group robot and webhook stand-ins (docs/sandbox.md, "Robots and webhooks"): WeCom, DingTalk and
 * Feishu robots that check the key, token and signature the way the vendors do and answer with their
 * documented error bodies; Slack and Teams incoming webhooks (the secret is the URL path) and Tocsin's
 * signed webhook. Accepted messages are kept (`GET /messages`); every request is recorded.
 */
import type { Clock } from '../platform/ids.js';
import { dingtalkValid, feishuValid, webhookValid } from './signatures.js';
import type { SandboxKeys } from './sandbox-keys.js';
import { type Reply, type Route, StandIn } from './stand-in.js';

export interface RobotMessage {
  id: string;
  robot: 'wecom' | 'dingtalk' | 'feishu' | 'slack' | 'teams' | 'webhook';
  body: unknown;
  receivedAt: string;
}

export function robots(keys: SandboxKeys, clock?: Clock): StandIn & { messages: RobotMessage[] } {
  const messages: RobotMessage[] = [];
  const keep = (robot: RobotMessage['robot'], body: unknown, now: number) =>
    messages.push({ id: `robot-${messages.length + 1}`, robot, body, receivedAt: new Date(now).toISOString() });
  const ok = (body: unknown): Reply => ({ status: 200, body });
  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/cgi-bin\/webhook\/send$/,
      handle: ({ query, body, now }) => {
        if (query.get('key') !== keys.wecomKey)
          return ok({ errcode: 93000, errmsg: 'invalid webhook url, hint: [sandbox] key is not valid' });
        const type = (body as { msgtype?: unknown } | null)?.msgtype;
        if (type !== 'markdown' && type !== 'text') return ok({ errcode: 40008, errmsg: 'invalid message type' });
        keep('wecom', body, now);
        return ok({ errcode: 0, errmsg: 'ok' });
      },
    },
    {
      method: 'POST',
      pattern: /^\/robot\/send$/,
      handle: ({ query, body, now }) => {
        if (query.get('access_token') !== keys.dingtalkAccessToken)
          return ok({ errcode: 300001, errmsg: 'token is not exist' });
        if (!dingtalkValid(query.get('timestamp'), query.get('sign'), keys.dingtalkSecret, now))
          return ok({ errcode: 310000, errmsg: 'sign not match, more: [sandbox]' });
        keep('dingtalk', body, now);
        return ok({ errcode: 0, errmsg: 'ok' });
      },
    },
    {
      method: 'POST',
      pattern: /^\/open-apis\/bot\/v2\/hook\/([A-Za-z0-9-]+)$/,
      handle: ({ params: [token], body, now }) => {
        if (token !== keys.feishuHookToken)
          return ok({ code: 19001, data: {}, msg: 'param invalid: incoming webhook access token invalid' });
        const b = (body ?? {}) as { timestamp?: unknown; sign?: unknown };
        if (!feishuValid(b.timestamp, b.sign, keys.feishuSecret, now))
          return ok({
            code: 19021,
            data: {},
            msg: 'sign match fail or timestamp is not within one hour from current time',
          });
        keep('feishu', body, now);
        return ok({ code: 0, data: {}, msg: 'success' });
      },
    },
  ];
  // Slack and Teams: the whole path (and Teams' sig) is the secret; a wrong one is Slack's 403 / Teams' 401.
  routes.push(
    {
      method: 'POST',
      pattern: /^(\/services\/.+)$/,
      handle: ({ params: [path], body, now }) => {
        if (path !== keys.slackPath) return { status: 403, body: 'invalid_token' };
        keep('slack', body, now);
        return ok('ok');
      },
    },
    {
      method: 'POST',
      pattern: /^(\/workflows\/.+)$/,
      handle: ({ params: [path], query, body, now }) => {
        if (`${path}?${query.toString()}` !== keys.teamsPath)
          return { status: 401, body: { error: { code: 'DirectApiAuthorizationRequired', message: 'invalid sig' } } };
        keep('teams', body, now);
        return { status: 202, body: null };
      },
    },
    {
      method: 'POST',
      pattern: /^\/webhook$/,
      handle: ({ headers, raw, body, now }) => {
        if (!webhookValid(headers, raw, keys.webhookSecret, now))
          return { status: 401, body: { error: 'invalid signature or stale timestamp' } };
        keep('webhook', body, now);
        return ok({ received: true });
      },
    },
    { method: 'GET', pattern: /^\/messages$/, handle: () => ok({ messages }) },
  );
  return Object.assign(new StandIn({ name: 'robots', routes, clock }), { messages });
}
