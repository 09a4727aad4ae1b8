/**
 * Wires compensation (issue 14) with its customer's side: notices on claim events and the portal's
 * one-time codes go out through the notify gateway (SMS; the campaigns' gateway, TOCSIN_NOTIFY_GATEWAY_URL)
 * or SMTP (email; TOCSIN_SMTP_URL), to the customer module's contacts (unsealed only for sending); the
 * codes' keyed hash uses a key derived from the secret key; the portal's throttles share the store's
 * budgets table with the help portal's (own key prefixes).
 */
import { createHash, hkdfSync } from 'node:crypto';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db/types.js';
import type { JobRunner } from './platform/jobs/job-runner.js';
import { pooledSmtp } from './platform/heavy-libs.js';
import { createOutboundGuard } from './platform/outbound-guard.js';
import { loadSecretKeys } from './platform/secret-box.js';
import { createGatewayClient } from './modules/campaign/index.js';
import {
  compensationPortalRoutes,
  filingPortalRoutes,
  createCompensation,
  type CustomerSender,
  type NoticeContact,
} from './modules/compensation/index.js';
import { createSubscribeThrottle, type SubscribeThrottlePolicy } from './modules/subscription/index.js';

type CompensationCore = Parameters<typeof createCompensation>[0];

export interface CompensationOptions {
  /** The portal's budgets: codes sent per IP and per reference, code checks per IP and per reference. */
  compensationThrottle?: { send?: SubscribeThrottlePolicy; verify?: SubscribeThrottlePolicy };
}

const SEND_THROTTLE: SubscribeThrottlePolicy = { perIp: 20, perAddress: 5, windowMs: 3_600_000 };
const VERIFY_THROTTLE: SubscribeThrottlePolicy = { perIp: 60, perAddress: 20, windowMs: 3_600_000 };

/** SMS through the notify gateway, email over SMTP, each when configured. */
export function customerSender(config: Config): CustomerSender & { close(): void } {
  const guard = createOutboundGuard({
    denyCidrs: config.probes.denyCidrs,
    allowCidrs: config.probes.allowCidrs,
    allowLoopback: config.probes.allowLoopback,
  });
  const gateway = config.notifyGateway ? createGatewayClient(config.notifyGateway, guard) : null;
  const mailer = config.mail.smtpUrl ? pooledSmtp(config.mail.smtpUrl, 2) : null;
  const domain = new URL(config.publicUrl).hostname || 'tocsin.invalid';
  return {
    sms: gateway !== null,
    email: mailer !== null,
    async send(msg, key) {
      if (msg.channel === 'sms') {
        if (!gateway) return { ok: false, retry: false, reason: 'no_gateway' };
        return gateway.send({ channel: 'sms', to: msg.to, text: msg.text }, key);
      }
      if (!mailer) return { ok: false, retry: false, reason: 'no_smtp' };
      try {
        const info = await (await mailer.get()).sendMail({
          from: config.mail.from,
          to: msg.to,
          subject: msg.subject,
          text: msg.text,
          textEncoding: 'quoted-printable',
          // The same Message-ID for every attempt of one notice (SMTP has no idempotency key).
          messageId: `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`,
          headers: { 'Content-Language': msg.language, 'X-Tocsin-Idempotency-Key': key },
        });
        return { ok: true, id: String(info.messageId ?? '') };
      } catch (err) {
        return { ok: false, retry: true, reason: (err as Error).message.slice(0, 200) };
      }
    },
    close() {
      gateway?.close();
      mailer?.close();
    },
  };
}

export function wireCompensation(
  core: CompensationCore & {
    config: Config;
    jobs: JobRunner;
    /** The customer module's contacts (clear values, for sending only). */
    contacts(ids: readonly string[], db: Db): Promise<NoticeContact[]>;
  },
  opts: CompensationOptions,
) {
  const { config, jobs, contacts, ...deps } = core;
  const sender = customerSender(config);
  let key: Buffer | null = null;
  const codeKey = () => {
    key ??= Buffer.from(
      hkdfSync(
        'sha256',
        loadSecretKeys({ ...config.secretKeys, dataDir: config.dataDir }, () => {})[0]!,
        Buffer.alloc(0),
        'tocsin-compensation-codes.v1',
        32,
      ),
    );
    return key;
  };
  const throttle = (prefix: string, policy: SubscribeThrottlePolicy) =>
    createSubscribeThrottle({
      store: deps.store,
      clock: deps.clock,
      policy,
      scope: { prefix, requests: 'compensation portal requests' },
    });
  const compensation = createCompensation(deps, {
    jobs,
    contacts: (db, ids) => contacts(ids, db),
    sender,
    portalUrl: `${config.status.baseUrl}/compensation`,
    codeKey,
    throttles: {
      send: throttle('cmp-send:', opts.compensationThrottle?.send ?? SEND_THROTTLE),
      verify: throttle('cmp-verify:', opts.compensationThrottle?.verify ?? VERIFY_THROTTLE),
    },
    firmName: config.status.name,
  });
  return {
    compensation,
    compensationRoutes: compensationPortalRoutes({ portal: compensation.portal!, siteName: config.status.name }),
    filingRoutes: filingPortalRoutes({ filing: compensation.filing!, siteName: config.status.name }),
    closeSender: () => sender.close(),
  };
}
