/**
 * The sandbox's own checks of the vendors' signatures, written from their documentation independently
 * of the channel kinds that sign (so a mistake on one side is not mirrored on the other).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
const HOUR = 3_600_000;

/** DingTalk: `sign` (already url-decoded) = base64(HMAC-SHA256(secret, ms + "\n" + secret)), within an hour. */
export function dingtalkValid(timestamp: string | null, sign: string | null, secret: string, now: number): boolean {
  if (!timestamp || !sign || !/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - now) > HOUR) return false;
  return same(sign, createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'));
}

/** Feishu: `sign` = base64(HMAC-SHA256(key = seconds + "\n" + secret, "")), within an hour. */
export function feishuValid(timestamp: unknown, sign: unknown, secret: string, now: number): boolean {
  if (typeof timestamp !== 'string' || typeof sign !== 'string' || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(Number(timestamp) * 1000 - now) > HOUR) return false;
  return same(sign, createHmac('sha256', `${timestamp}\n${secret}`).digest('base64'));
}

/** Tocsin's signed webhook: `sha256=` hex HMAC of "timestamp.body", within five minutes. */
export function webhookValid(headers: Record<string, string>, raw: string, secret: string, now: number): boolean {
  const ts = headers['x-tocsin-timestamp'] ?? '';
  const sig = headers['x-tocsin-signature'] ?? '';
  if (!/^\d+$/.test(ts) || Math.abs(Number(ts) * 1000 - now) > 5 * 60_000) return false;
  return same(sig, `sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`);
}

const pop = (s: string) =>
  encodeURIComponent(s)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');

/** Alibaba Cloud RPC signature v1.0 of a form (all parameters but Signature). */
export function aliyunValid(method: string, form: URLSearchParams, secret: string): boolean {
  const pairs = [...form.entries()].filter(([k]) => k !== 'Signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = pairs.map(([k, v]) => `${pop(k)}=${pop(v)}`).join('&');
  const expected = createHmac('sha1', `${secret}&`)
    .update(`${method}&%2F&${pop(canonical)}`)
    .digest('base64');
  return same(form.get('Signature') ?? '', expected);
}

/** Tencent Cloud TC3-HMAC-SHA256 of a POST to "/" signed over content-type and host. */
export function tencentValid(
  headers: Record<string, string>,
  raw: string,
  secretId: string,
  secretKey: string,
): boolean {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
      headers.authorization ?? '',
    );
  if (!m || m[1] !== secretId) return false;
  const [, , date, service, signed, signature] = m as unknown as [string, string, string, string, string, string];
  const ts = headers['x-tc-timestamp'] ?? '';
  if (new Date(Number(ts) * 1000).toISOString().slice(0, 10) !== date) return false;
  const names = signed.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${(headers[n] ?? '').trim().toLowerCase()}\n`).join('');
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signed}\n${hash(raw)}`;
  const toSign = `TC3-HMAC-SHA256\n${ts}\n${date}/${service}/tc3_request\n${hash(canonical)}`;
  const k = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();
  const signing = k(k(k(`TC3${secretKey}`, date), service), 'tc3_request');
  return same(signature, createHmac('sha256', signing).update(toSign).digest('hex'));
}
