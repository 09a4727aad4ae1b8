/**
 * The notify gateway client (SMS and app push; contract in docs/campaigns.md): `POST /v1/messages`
 * `{channel, to, text, callbackUrl?}` with the message's `Idempotency-Key`, signed
 * `X-Tocsin-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` and
 * `X-Tocsin-Timestamp` (epoch seconds). Delivery receipts come back signed the same way.
 * Calls go through the outbound guard (the connection's own DNS answer is checked).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { lookupWithin, type OutboundGuard } from '../../platform/outbound-guard.js';

export const SIGNATURE_HEADER = 'x-tocsin-signature';
export const TIMESTAMP_HEADER = 'x-tocsin-timestamp';
/** Receipts older or newer than this are refused (replays). */
export const RECEIPT_WINDOW_S = 300;

export const signPayload = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export function signatureValid(secret: string, timestamp: string, body: string, signature: string): boolean {
  const want = Buffer.from(signPayload(secret, timestamp, body));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

export type GatewayAnswer =
  | { ok: true; id: string }
  /** `retry`: worth trying again later (5xx, 429, no answer). */
  | { ok: false; retry: boolean; reason: string };

export function createGatewayClient(cfg: { url: string; secret: string }, guard: OutboundGuard) {
  const base = new URL(cfg.url);
  const lib = base.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 32 });
  const lookup = lookupWithin(guard);

  function send(msg: { channel: string; to: string; text: string; callbackUrl?: string }, key: string) {
    const body = JSON.stringify(msg);
    const ts = String(Math.floor(Date.now() / 1000));
    const url = new URL('/v1/messages', base);
    return new Promise<GatewayAnswer>((resolve) => {
      const req = lib.request(
        url,
        {
          method: 'POST',
          agent,
          lookup,
          timeout: 10_000,
          headers: {
            'content-type': 'application/json',
            'idempotency-key': key,
            [TIMESTAMP_HEADER]: ts,
            [SIGNATURE_HEADER]: signPayload(cfg.secret, ts, body),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (text.length < 64_000) text += c;
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              let id = '';
              try {
                id = String((JSON.parse(text) as { id?: unknown }).id ?? '');
              } catch {
                // no id: kept null
              }
              resolve({ ok: true, id });
            } else resolve({ ok: false, retry: status >= 500 || status === 429, reason: `gateway answered ${status}` });
          });
          res.on('error', (e) => resolve({ ok: false, retry: true, reason: e.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('gateway timed out')));
      req.on('error', (e) => resolve({ ok: false, retry: true, reason: e.message }));
      req.end(body);
    });
  }

  return { send, close: () => agent.destroy() };
}
