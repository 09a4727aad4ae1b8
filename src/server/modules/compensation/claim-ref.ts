/**
 * Claim references the customer quotes (letters, the portal's acceptance): `CMP-` and three groups of 4
 * Crockford base32 characters — 60 random bits, so a million claims collide with odds of about 1 in 2
 * million (the unique index refuses a collision; 40 bits would collide half the time at that size).
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newClaimRef(): string {
  let out = '';
  for (const b of randomBytes(12)) out += ALPHABET[b & 31];
  return `CMP-${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}
