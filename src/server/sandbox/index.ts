/**
 * `tocsin sandbox`: stand-ins, on loopback, for the systems a securities firm owns (trading core, EDR,
 * firewall, mail), each speaking the JSON contract of docs/sandbox.md, and an overview server whose
 * root page lists what each stand-in received (GET /requests.json for tests and scripts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../platform/ids.js';
import { edr } from './edr.js';
import { firewall } from './firewall.js';
import { mailbox, SmtpStandIn } from './mail.js';
import { overviewPage } from './overview.js';
import { type RobotMessage, robots } from './robots.js';
import { SANDBOX_KEYS, type SandboxKeys } from './sandbox-keys.js';
import { type SmsMessage, smsGateway } from './sms.js';
import { type NotifyStandIn, notifyGateway } from './notify.js';
import type { StandIn } from './stand-in.js';
import { tradingCore } from './trading.js';

export interface SandboxUrls {
  overview: string;
  trading: string;
  edr: string;
  firewall: string;
  mail: string;
  /** smtp://127.0.0.1:PORT */
  smtp: string;
  /** WeCom, DingTalk, Feishu robots; Slack, Teams and signed webhooks (docs/sandbox.md). */
  robots: string;
  /** Alibaba Cloud and Tencent Cloud SMS SendSms. */
  sms: string;
  /** The notify gateway of customer campaigns (SMS and app push; docs/campaigns.md). */
  notify: string;
}

export interface RunningSandbox {
  urls: SandboxUrls;
  standIns: StandIn[];
  smtp: SmtpStandIn;
  robotMessages: RobotMessage[];
  smsMessages: SmsMessage[];
  /** The notify gateway: its messages, first acceptances per key, and `flushReceipts()`. */
  notify: NotifyStandIn;
  /** The credentials the robot, SMS and webhook stand-ins accept. */
  keys: SandboxKeys;
  stop(): Promise<void>;
}

/**
 * Starts every stand-in on 127.0.0.1. With a port base the overview listens on it and the others on
 * the next ports (trading +1, EDR +2, firewall +3, mail HTTP +4, SMTP +5, robots +6, SMS +7, notify +8); without
 * one, on free ports. `keys` replaces the demo credentials (SANDBOX_KEYS) the robots and SMS accept.
 */
export async function startSandbox(
  opts: { portBase?: number; clock?: Clock; keys?: Partial<SandboxKeys> } = {},
): Promise<RunningSandbox> {
  const port = (offset: number) => (opts.portBase === undefined ? 0 : opts.portBase + offset);
  const keys: SandboxKeys = { ...SANDBOX_KEYS, ...opts.keys };
  const smtp = new SmtpStandIn(opts.clock);
  const robotStandIn = robots(keys, opts.clock);
  const sms = smsGateway(keys, opts.clock);
  const notify = notifyGateway(keys.notifySecret, opts.clock);
  const standIns = [tradingCore(opts.clock), edr(opts.clock), firewall(opts.clock), mailbox(smtp, opts.clock)];
  const overview = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    if (req.method === 'GET' && path === '/requests.json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ standIns: standIns.map((s) => ({ name: s.name, url: s.url, requests: s.requests })) }));
    } else if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(overviewPage(standIns, smtp));
    } else {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'urn:tocsin:sandbox:not-found', title: 'Not found', status: 404 }));
    }
  });
  const started: Array<() => Promise<void>> = [];
  const stop = async () => {
    await Promise.all(started.map((close) => close()));
  };
  try {
    await new Promise<void>((resolve, reject) => {
      overview.once('error', reject);
      overview.listen(port(0), '127.0.0.1', () => resolve());
    });
    started.push(
      () =>
        new Promise((resolve) => {
          overview.close(() => resolve());
          overview.closeAllConnections();
        }),
    );
    for (const [i, s] of standIns.entries()) {
      await s.listen(port(i + 1));
      started.push(() => s.close());
    }
    const smtpPort = await smtp.listen(port(5));
    started.push(() => smtp.close());
    for (const [i, s] of [robotStandIn, sms, notify].entries()) {
      await s.listen(port(6 + i));
      started.push(() => s.close());
      standIns.push(s);
    }
    const [trading, edrStandIn, firewallStandIn, mail] = standIns as [StandIn, StandIn, StandIn, StandIn];
    return {
      urls: {
        overview: `http://127.0.0.1:${(overview.address() as AddressInfo).port}`,
        trading: trading.url,
        edr: edrStandIn.url,
        firewall: firewallStandIn.url,
        mail: mail.url,
        smtp: `smtp://127.0.0.1:${smtpPort}`,
        robots: robotStandIn.url,
        sms: sms.url,
        notify: notify.url,
      },
      standIns,
      smtp,
      robotMessages: robotStandIn.messages,
      smsMessages: sms.messages,
      notify,
      keys,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
