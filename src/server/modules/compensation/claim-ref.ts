/** Claim references the customer quotes (letters, the portal's acceptance): `CMP-` and 8 Crockford base32 characters. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newClaimRef(): string {
  const bytes = randomBytes(8);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `CMP-${out.slice(0, 4)}-${out.slice(4)}`;
}
