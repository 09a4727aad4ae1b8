/**
 * The sender (worker and `all` processes; serve-worker.ts starts it): rounds that, per campaign being
 * sent and per channel, claim the due messages the channel's throttle allows, priority tiers first,
 * under a lease; send each (SMS and push through the notify gateway with the message's idempotency key,
 * email over SMTP) and record sent, or failed/queued again with backoff. During quiet hours SMS and push
 * wait (unless the campaign is mandatory and urgent); email goes on. Campaigns with nothing left become
 * done.
 *
 * The throttle holds across processes: a campaign's channel is sent by the one process that holds the
 * store lease `campaign-throttle:<campaign>:<channel>` (renewed every round it sends; a dead holder's
 * lease ends after at most 10 s, then another sender takes over), and that process meters it with a
 * token bucket of `throttle[channel]` messages a second. Several campaigns and channels spread over the
 * workers; one channel of one campaign never goes faster than its throttle, whatever the number of
 * workers (a handover may add at most one second's worth: the new holder starts with a full bucket).
 *
 * Email is recorded `sent` message by message, right after the SMTP server's answer, so a process that
 * dies mid-batch sends again only the one mail whose answer it had not recorded yet; each mail's
 * Message-ID is derived from its idempotency key, so a mail sent twice in that window is the same mail
 * to the recipient's server and client (docs/campaigns.md, "Email: the window").
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { CampaignChannel, CampaignThrottle, QuietHours } from '../../../shared/campaign-schemas.js';
import { pooledSmtp } from '../../platform/heavy-libs.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../../platform/jobs/backoff.js';
import { createLeases } from '../../platform/leases/leases.js';
import { addressOf } from './campaign-render.js';
import type { CampaignDeps } from './campaign-context.js';
import { finishCampaigns, sendingCampaigns } from './campaign.repository.js';
import {
  claimMessages,
  type MessageRow,
  type Outcome,
  renewMessageLeases,
  settleMessages,
} from './campaign-message.repository.js';
import { createGatewayClient, type GatewayAnswer } from './notify-gateway.js';
import { inQuietHours } from './quiet-hours.js';

/** Attempts before a message is failed for good. */
const MAX_ATTEMPTS = 8;
/** Messages claimed per campaign and channel in one round at most. */
const CLAIM_MAX = 1000;
/** How long claimed messages are held; a live sender renews it every third of that (`renew`). */
const LEASE_MS = 30_000;
/** How long a live sender keeps renewing one batch's lease: a batch stuck longer goes to another sender. */
const MAX_HOLD_MS = 10 * 60_000;
const CONCURRENCY = 32;
/** How long a sender keeps a campaign channel's throttle lease without renewing it. */
const THROTTLE_LEASE_MS = 10_000;

/** The Message-ID of a campaign mail: the same for every attempt of one message. */
export const messageIdOf = (idempotencyKey: string) =>
  `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}.campaign@tocsin>`;

export interface SenderOptions {
  /** Where receipts go: `<publicUrl>/api/v1/campaign-receipts/default` (none: no callbackUrl is sent). */
  publicUrl?: string | null;
  runner?: string;
  /** How long claimed messages are held without a renewal (default 30 s; renewed every third of it). */
  leaseMs?: number;
  /** How long a batch's lease is renewed at most, from its claim (default 10 min). */
  maxHoldMs?: number;
  onError?: (err: unknown, where: string) => void;
}

async function eachLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]!);
  });
  await Promise.all(workers);
}

export function createSender(deps: CampaignDeps, opts: SenderOptions = {}) {
  const { store, clock } = deps;
  const runner = opts.runner ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const gateway = deps.gateway ? createGatewayClient(deps.gateway, deps.guard) : null;
  const mailer = deps.mail.smtpUrl ? pooledSmtp(deps.mail.smtpUrl, 4) : null;
  const callbackUrl = opts.publicUrl
    ? new URL('/api/v1/campaign-receipts/default', opts.publicUrl).toString()
    : undefined;
  /** Token buckets per campaign and channel: { tokens, at }. */
  const buckets = new Map<string, { tokens: number; at: number }>();
  const leases = createLeases({ store, clock, holder: runner });
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const maxHoldMs = opts.maxHoldMs ?? MAX_HOLD_MS;
  const throttleLeaseMs = Math.min(THROTTLE_LEASE_MS, leaseMs);
  /** The batches being sent here: their message ids and when they were claimed. */
  const inFlight = new Set<{ ids: string[]; since: number }>();
  /** The throttle leases this sender holds, by name. */
  const held = new Set<string>();

  /** Whether this sender may send the campaign channel `key` now (it holds, or has just taken, its lease). */
  async function holdsThrottle(key: string): Promise<boolean> {
    const name = `campaign-throttle:${key}`;
    if (await leases.tryAcquire(name, throttleLeaseMs)) {
      held.add(name);
      return true;
    }
    // Another sender meters this channel; a bucket kept from before would burst when this one is back.
    held.delete(name);
    buckets.delete(key);
    return false;
  }

  /** Gives up the leases of campaigns no longer being sent (or all of them). */
  async function releaseThrottles(keep: Set<string> = new Set()): Promise<void> {
    for (const name of [...held])
      if (!keep.has(name)) {
        held.delete(name);
        await leases.release(name);
      }
  }

  function take(key: string, rate: number, now: number): number {
    const b = buckets.get(key) ?? { tokens: rate, at: now };
    const tokens = Math.min(rate, b.tokens + (rate * Math.max(0, now - b.at)) / 1000);
    const n = Math.min(CLAIM_MAX, Math.floor(tokens));
    buckets.set(key, { tokens: tokens - n, at: now });
    return n;
  }
  /** Gives back what was not claimed. */
  function giveBack(key: string, n: number): void {
    const b = buckets.get(key);
    if (b) b.tokens += n;
  }

  async function deliver(channel: CampaignChannel, m: MessageRow, to: string): Promise<GatewayAnswer> {
    const body = JSON.parse(m.body) as { subject: string; text: string };
    if (channel === 'email') {
      if (!mailer) return { ok: false, retry: false, reason: 'no_smtp' };
      try {
        const info = await (await mailer.get()).sendMail({
          from: deps.mail.from,
          to,
          subject: body.subject,
          text: body.text,
          textEncoding: 'quoted-printable',
          messageId: messageIdOf(m.idempotency_key),
          headers: { 'Content-Language': m.language, 'X-Tocsin-Idempotency-Key': m.idempotency_key },
        });
        return { ok: true, id: String(info.messageId ?? '') };
      } catch (err) {
        return { ok: false, retry: true, reason: (err as Error).message.slice(0, 200) };
      }
    }
    if (!gateway) return { ok: false, retry: false, reason: 'gateway_error' };
    return gateway.send({ channel, to, text: body.text, ...(callbackUrl ? { callbackUrl } : {}) }, m.idempotency_key);
  }

  async function sendBatch(channel: CampaignChannel, rows: MessageRow[]): Promise<void> {
    const contacts = new Map(
      (
        await deps.contacts.contacts(
          store.db,
          rows.map((r) => r.customer_id),
        )
      ).map((c) => [c.id, c]),
    );
    const outcomes: Outcome[] = [];
    // SMS and push are settled together after the batch (the gateway answers a resend from its replay
    // memory); an email as soon as the SMTP server has answered (SMTP has no idempotency key).
    const record = async (o: Outcome) => {
      if (channel === 'email') await settleMessages(store, runner, [o], clock.now());
      else outcomes.push(o);
    };
    await eachLimited(rows, CONCURRENCY, async (m) => {
      const attempts = Number(m.attempts);
      const contact = contacts.get(m.customer_id);
      const to = contact ? addressOf(contact, channel) : null;
      if (!to) return record({ id: m.id, attempts, state: 'skipped', reason: 'no_contact' });
      const a = await deliver(channel, m, to);
      if (a.ok) await record({ id: m.id, attempts, state: 'sent', gatewayId: a.id || null });
      else if (a.retry && attempts < MAX_ATTEMPTS)
        await record({
          id: m.id,
          attempts,
          state: 'queued',
          nextAt: clock.now() + backoffDelay(DEFAULT_BACKOFF, attempts),
          reason: a.reason.slice(0, 200),
        });
      else await record({ id: m.id, attempts, state: 'failed', reason: a.retry ? 'gateway_error' : a.reason });
    });
    await settleMessages(store, runner, outcomes, clock.now());
  }

  /** One round at `now`; how many messages were claimed. */
  async function round(now = clock.now()): Promise<number> {
    let claimed = 0;
    const campaigns = await sendingCampaigns(store.db);
    await releaseThrottles(
      new Set(
        campaigns.flatMap((c) => (JSON.parse(c.channels) as string[]).map((ch) => `campaign-throttle:${c.id}:${ch}`)),
      ),
    );
    for (const c of campaigns) {
      const channels = JSON.parse(c.channels) as CampaignChannel[];
      const throttle = JSON.parse(c.throttle) as CampaignThrottle;
      const quiet = inQuietHours(c.quiet_hours === null ? null : (JSON.parse(c.quiet_hours) as QuietHours), now);
      const overridesQuiet = Number(c.mandatory) === 1 && Number(c.urgent) === 1;
      for (const channel of channels) {
        if (quiet && channel !== 'email' && !overridesQuiet) continue;
        const key = `${c.id}:${channel}`;
        if (!(await holdsThrottle(key))) continue;
        const budget = take(key, throttle[channel] ?? 100, now);
        if (budget === 0) continue;
        const rows = await claimMessages(store, {
          campaignId: c.id,
          channel,
          now,
          limit: budget,
          leaseUntil: now + leaseMs,
          runner,
        });
        giveBack(key, budget - rows.length);
        claimed += rows.length;
        if (rows.length === 0) continue;
        const batch = { ids: rows.map((r) => r.id), since: now };
        inFlight.add(batch);
        try {
          await sendBatch(channel, rows);
        } finally {
          inFlight.delete(batch);
        }
      }
    }
    await finishCampaigns(store.db, clock.now());
    return claimed;
  }

  /**
   * Renews the leases of the batches being sent here (the loop calls it every third of a lease; tests
   * call it with their clock), each for at most `maxHoldMs` from its claim.
   */
  async function renew(now = clock.now()): Promise<void> {
    const ids = [...inFlight].filter((b) => now - b.since < maxHoldMs).flatMap((b) => b.ids);
    await renewMessageLeases(store, runner, ids, now + leaseMs);
  }

  let timer: NodeJS.Timeout | null = null;
  let renewal: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopping = false;

  function start(intervalMs = 250): void {
    stopping = false;
    renewal ??= setInterval(
      () => void renew().catch((err: unknown) => opts.onError?.(err, 'renewing campaign message leases')),
      leaseMs / 3,
    );
    renewal.unref();
    const loop = async () => {
      if (stopping) return;
      let n = 0;
      try {
        n = await round();
      } catch (err) {
        opts.onError?.(err, 'campaign sender');
      }
      // A round that found work goes on at once; an idle one waits.
      if (!stopping) timer = setTimeout(() => (running = loop()), n > 0 ? 0 : intervalMs);
    };
    running = loop();
  }

  async function stop(): Promise<void> {
    stopping = true;
    if (timer) clearTimeout(timer);
    // The round in flight keeps its leases renewed until it ends.
    await running;
    if (renewal) clearInterval(renewal);
    renewal = null;
    await releaseThrottles().catch((err: unknown) => opts.onError?.(err, 'campaign sender'));
    gateway?.close();
    mailer?.close();
  }

  return { round, renew, start, stop, runner };
}
