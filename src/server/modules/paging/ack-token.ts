/**
 * The signed one-time acknowledge link of a page message: `/ack/<token>`, token =
 * `<delivery id>.<expiry, ms in base 36>.<base64url HMAC-SHA256(server key, "tocsin-ack.v1." + page id +
 * "." + recipient id + "." + delivery id + "." + expiry)>` (89 characters). The delivery names the page
 * and the recipient the MAC covers, so a token cannot be moved to another page or person; single use is
 * the store's (`page_deliveries.ack_used_at`); the expiry is 24 h after the page step was sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ACK_LINK_TTL_MS = 24 * 3_600_000;

export interface AckClaims {
  pageId: string;
  userId: string;
  deliveryId: string;
  expiresAt: number;
}

const mac = (key: string, c: AckClaims) =>
  createHmac('sha256', key)
    .update(`tocsin-ack.v1.${c.pageId}.${c.userId}.${c.deliveryId}.${c.expiresAt}`)
    .digest('base64url');

export function signAckToken(key: string, c: AckClaims): string {
  return `${c.deliveryId}.${c.expiresAt.toString(36)}.${mac(key, c)}`;
}

/** The delivery id and expiry a token names (nothing verified yet), or null when it is not shaped like one. */
export function parseAckToken(token: string): { deliveryId: string; expiresAt: number; mac: string } | null {
  const m = /^([0-9a-f-]{36})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { deliveryId: m[1]!, expiresAt: Number.parseInt(m[2]!, 36), mac: m[3]! } : null;
}

/** Whether `givenMac` is the server's MAC of these claims (constant time). */
export function ackMacValid(key: string, c: AckClaims, givenMac: string): boolean {
  const a = Buffer.from(givenMac);
  const b = Buffer.from(mac(key, c));
  return a.length === b.length && timingSafeEqual(a, b);
}
