/**
 * Keyed hashes that find sealed personal data by value (an email subscriber by address, a customer by
 * phone or ID number) without storing the value: HMAC-SHA256 under a key derived (HKDF-SHA256, `info`
 * naming the purpose) from each secret key — TOCSIN_SECRET_KEY, the older keys, or `<data dir>/secret.key`
 * — so every process sharing a store shares them. One hash per key, the current key's first: a row hashed
 * under a rotated key is still found until it is re-hashed.
 */
import { createHmac, hkdfSync } from 'node:crypto';

export interface KeyedHash {
  /** Hex HMACs of `value` (already normalized by the caller), the first under the current key. */
  hashes(value: string): string[];
}

/** `secretKeys` is called once, when first needed (a process that never hashes never reads the key file). */
export function createKeyedHash(secretKeys: () => Buffer[], info: string): KeyedHash {
  let keys: Buffer[] | null = null;
  const derived = () => {
    keys ??= secretKeys().map((k) => Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), info, 32)));
    return keys;
  };
  return { hashes: (value) => derived().map((k) => createHmac('sha256', k).update(value).digest('hex')) };
}
