/**
 * The notify gateway stand-in (docs/sandbox.md, "Notify gateway"; Tocsin's side in docs/campaigns.md):
 * `POST /v1/messages` `{channel: "sms"|"push", to, text, callbackUrl?}` with an `Idempotency-Key` and
 * `X-Tocsin-Timestamp` + `X-Tocsin-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`;
 * answers `{id, status: "accepted"}`. A key sent again is answered from the stand-in's replay memory
 * (`Idempotent-Replayed: true`) and never accepted twice: `accepted` counts first acceptances per key.
 * Receipts `{id, idempotencyKey, status, at}` are POSTed, signed the same way, to each message's
 * callbackUrl when asked: `POST /_sandbox/receipts/flush` `{"status": "delivered"|"failed"|"bounced"}`
 * (or `flushReceipts()` in-process), so tests control time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../platform/ids.js';
import { invalid, objectBody, type Route, SandboxProblem, StandIn } from './stand-in.js';

export interface NotifyMessage {
  id: string;
  idempotencyKey: string;
  channel: 'sms' | 'push';
  to: string;
  text: string;
  callbackUrl: string | null;
  receivedAt: string;
}

type ReceiptStatus = 'delivered' | 'failed' | 'bounced';

const sign = (secret: string, ts: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;

/** `record: false` keeps no request records (100,000 messages of a campaign); the messages are kept. */
export function notifyGateway(secret: string, clock?: Clock, opts: { record?: boolean } = {}) {
  const messages: NotifyMessage[] = [];
  /** First acceptances per idempotency key (a correct client keeps every count at 1). */
  const accepted = new Map<string, number>();
  let pending: NotifyMessage[] = [];
  const now = () => clock?.now() ?? Date.now();

  const verify = (headers: Record<string, string>, raw: string) => {
    const ts = headers['x-tocsin-timestamp'] ?? '';
    const got = Buffer.from(headers['x-tocsin-signature'] ?? '');
    const want = Buffer.from(sign(secret, ts, raw));
    if (got.length !== want.length || !timingSafeEqual(got, want))
      throw new SandboxProblem(401, 'bad-signature', 'Signature does not verify');
  };

  async function flushReceipts(status: ReceiptStatus = 'delivered'): Promise<number> {
    const batch = pending;
    pending = [];
    let sent = 0;
    for (const m of batch) {
      if (!m.callbackUrl) continue;
      const body = JSON.stringify({
        id: m.id,
        idempotencyKey: m.idempotencyKey,
        status,
        at: new Date(now()).toISOString(),
      });
      const ts = String(Math.floor(now() / 1000));
      const res = await fetch(m.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tocsin-timestamp': ts,
          'x-tocsin-signature': sign(secret, ts, body),
        },
        body,
      }).catch(() => null);
      if (res?.ok) sent++;
      else pending.push(m);
    }
    return sent;
  }

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/messages$/,
      handle: ({ headers, raw, body }) => {
        verify(headers, raw);
        const key = headers['idempotency-key'];
        if (!key) throw invalid('an Idempotency-Key header is required');
        const b = objectBody(body);
        if ((b.channel !== 'sms' && b.channel !== 'push') || typeof b.to !== 'string' || typeof b.text !== 'string')
          throw invalid('expected {"channel": "sms" | "push", "to": string, "text": string, "callbackUrl"?: string}');
        const m: NotifyMessage = {
          id: `nm-${messages.length + 1}`,
          idempotencyKey: key,
          channel: b.channel,
          to: b.to,
          text: b.text,
          callbackUrl: typeof b.callbackUrl === 'string' ? b.callbackUrl : null,
          receivedAt: new Date(now()).toISOString(),
        };
        messages.push(m);
        accepted.set(key, (accepted.get(key) ?? 0) + 1);
        pending.push(m);
        return { status: 202, body: { id: m.id, status: 'accepted' } };
      },
    },
    { method: 'GET', pattern: /^\/v1\/messages$/, handle: () => ({ status: 200, body: { messages } }) },
  ];
  const adminRoutes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/_sandbox\/receipts\/flush$/,
      handle: ({ body }) => {
        const status = (objectBody(body).status ?? 'delivered') as ReceiptStatus;
        if (!['delivered', 'failed', 'bounced'].includes(status))
          throw invalid('expected {"status": "delivered" | "failed" | "bounced"}');
        const queued = pending.length;
        void flushReceipts(status);
        return { status: 202, body: { queued } };
      },
    },
  ];
  const standIn = new StandIn({ name: 'notify', routes, adminRoutes, clock, record: opts.record });
  return Object.assign(standIn, { messages, accepted, flushReceipts });
}

export type NotifyStandIn = ReturnType<typeof notifyGateway>;
