/**
 * The keys of subscriptions, derived (HKDF-SHA256) from the secret keys that seal connector secrets
 * (TOCSIN_SECRET_KEY, older keys, or `<data dir>/secret.key`), so every process sharing a store
 * shares them and no new setting is needed:
 * - the keyed hash that finds an email subscriber by address (the address itself is sealed), one per
 *   key, so a rotated key still finds the rows hashed under the old one;
 * - the MAC of the links in mails: `<c|u>.<subscriber id>.<expiry, ms base 36; 0: none>.<base64url
 *   HMAC-SHA256>`; `c` confirms (expires), `u` unsubscribes (never expires: mails are kept for years).
 * A link's single use is the subscriber's state (a confirmed subscriber is not confirmed again).
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { createKeyedHash } from '../../platform/keyed-hash.js';

export type TokenPurpose = 'c' | 'u';

export interface SubscriptionKeys {
  /** Hashes of the normalized address, the first under the current key. */
  addressHashes(email: string): string[];
  sign(purpose: TokenPurpose, subscriberId: string, expiresAt: number): string;
  /** The subscriber a token names when its MAC holds under some key, with its expiry (0: none); else null. */
  verify(purpose: TokenPurpose, token: string): { subscriberId: string; expiresAt: number } | null;
}

export const normalizeAddress = (email: string): string => email.trim().toLowerCase();

/** Keys from `secretKeys` (called once, when first needed: a process that never mails never reads the key file). */
export function createSubscriptionKeys(secretKeys: () => Buffer[]): SubscriptionKeys {
  const addressHash = createKeyedHash(secretKeys, 'tocsin-subscriptions.address-hash.v1');
  let derived: { mac: Buffer }[] | null = null;
  const keys = () => {
    derived ??= secretKeys().map((k) => ({
      mac: Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), 'tocsin-subscriptions.link-mac.v1', 32)),
    }));
    return derived;
  };
  const macOf = (key: Buffer, purpose: TokenPurpose, id: string, expires: string) =>
    createHmac('sha256', key).update(`tocsin-sub.v1.${purpose}.${id}.${expires}`).digest('base64url');

  return {
    addressHashes: (email) => addressHash.hashes(normalizeAddress(email)),
    sign(purpose, subscriberId, expiresAt) {
      const exp = expiresAt.toString(36);
      return `${purpose}.${subscriberId}.${exp}.${macOf(keys()[0]!.mac, purpose, subscriberId, exp)}`;
    },
    verify(purpose, token) {
      const m = /^([cu])\.([0-9a-f-]{36})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m || m[1] !== purpose) return null;
      const given = Buffer.from(m[4]!);
      for (const k of keys()) {
        const want = Buffer.from(macOf(k.mac, purpose, m[2]!, m[3]!));
        if (want.length === given.length && timingSafeEqual(want, given))
          return { subscriberId: m[2]!, expiresAt: Number.parseInt(m[3]!, 36) };
      }
      return null;
    },
  };
}

/** `a***@example.com`: enough for staff to tell addresses apart, not to read them. */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
