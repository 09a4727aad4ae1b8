/**
 * The notify gateway stand-in: a signed message is accepted once per key (a resend is replayed, not
 * accepted again), a bad signature is 401, and flushing sends each message's signed receipt to its
 * callbackUrl.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureValid, signPayload } from '../modules/campaign/notify-gateway.js';
import { notifyGateway, type NotifyStandIn } from './notify.js';

const SECRET = 'stand-in-test-secret-0123456789';

describe('notify gateway stand-in', () => {
  let gw: NotifyStandIn;
  let url = '';
  let receiver: http.Server;
  const receipts: { body: string; ts: string; sig: string }[] = [];

  beforeAll(async () => {
    gw = notifyGateway(SECRET);
    url = await gw.listen(0);
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        receipts.push({
          body,
          ts: String(req.headers['x-tocsin-timestamp']),
          sig: String(req.headers['x-tocsin-signature']),
        });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await gw.close();
    await new Promise((r) => receiver.close(r));
  });

  const send = (key: string, secret = SECRET) => {
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/receipts`;
    const body = JSON.stringify({ channel: 'sms', to: '13800000000', text: 'hello', callbackUrl });
    const ts = String(Math.floor(Date.now() / 1000));
    return fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        'x-tocsin-timestamp': ts,
        'x-tocsin-signature': signPayload(secret, ts, body),
      },
      body,
    });
  };

  it('accepts a key once, replays it after, refuses a bad signature', async () => {
    const first = await send('k-1');
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    const again = await send('k-1');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(id);
    expect(gw.accepted.get('k-1')).toBe(1);
    expect((await send('k-2', 'another-secret-of-someone-else')).status).toBe(401);
    expect(gw.accepted.has('k-2')).toBe(false);
  });

  it('flushes signed receipts to the callback', async () => {
    expect(await gw.flushReceipts('delivered')).toBe(1);
    expect(receipts).toHaveLength(1);
    const r = receipts[0]!;
    expect(signatureValid(SECRET, r.ts, r.body, r.sig)).toBe(true);
    expect(JSON.parse(r.body)).toMatchObject({ idempotencyKey: 'k-1', status: 'delivered' });
    expect(await gw.flushReceipts()).toBe(0);
  });
});
