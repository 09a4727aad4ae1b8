/**
 * The keys of customer inquiries, derived (HKDF-SHA256) from the secret keys that seal connector
 * secrets, so every process sharing a store shares them:
 * - keyed hashes of the contact's normalized phone and email (one per key: rotation keeps finding rows);
 * - the survey token of an inquiry (HMAC of its reference), which the check page and mails carry.
 * Also the reference numbers (random, unambiguous characters) and the masks staff see.
 */
import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';
import { createKeyedHash } from '../../platform/keyed-hash.js';
import { maskEmail, maskPhone, normalizeEmail, normalizePhone } from '../customer/index.js';

export interface InquiryKeys {
  /** Hashes of a normalized contact value (`p:` phone or `e:` email), the first under the current key. */
  hashes(value: string): string[];
  /** The survey token of a reference. */
  surveyToken(reference: string): string;
  checkSurveyToken(reference: string, token: string): boolean;
}

export function createInquiryKeys(secretKeys: () => Buffer[]): InquiryKeys {
  const contacts = createKeyedHash(secretKeys, 'tocsin-inquiries.contact-hash.v1');
  let macKeys: Buffer[] | null = null;
  const keys = () => {
    macKeys ??= secretKeys().map((k) =>
      Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), 'tocsin-inquiries.survey-mac.v1', 32)),
    );
    return macKeys;
  };
  const mac = (key: Buffer, reference: string) =>
    createHmac('sha256', key).update(`tocsin-inquiry.v1.${reference}`).digest('base64url');
  return {
    hashes: (value) => contacts.hashes(value),
    surveyToken: (reference) => mac(keys()[0]!, reference),
    checkSurveyToken(reference, token) {
      const given = Buffer.from(token);
      return keys().some((k) => {
        const want = Buffer.from(mac(k, reference));
        return want.length === given.length && timingSafeEqual(want, given);
      });
    },
  };
}

/** No 0/O, 1/I/L, U: read over the phone without spelling. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `Q-7K3M-9D2P`: 8 random characters of 30 (about 39 bits), from the CSPRNG. */
export function newReference(): string {
  const pick = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `Q-${pick()}-${pick()}`;
}

/** A reference as typed (lower case, spaces, O for 0...) in its canonical form, or null when it cannot be one. */
export function normalizeReference(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/^Q/, '');
  if (!/^[A-Z0-9]{8}$/.test(s)) return null;
  return `Q-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** The hash input of a phone or email as a customer types either into the check form. */
export function contactKey(value: string): string | null {
  const v = value.trim();
  if (v.includes('@')) return `e:${normalizeEmail(v)}`;
  const p = normalizePhone(v);
  return p.length >= 5 ? `p:${p}` : null;
}

/** `张* · 138****5678 · a***@example.com`: enough to tell two apart, not enough to use. */
export function maskContact(c: { name: string; phone?: string; email?: string }): string {
  const name = [...c.name];
  const parts = [`${name[0] ?? ''}${name.length > 1 ? '*'.repeat(Math.min(name.length - 1, 3)) : ''}`];
  if (c.phone) parts.push(maskPhone(normalizePhone(c.phone)));
  if (c.email) parts.push(maskEmail(c.email));
  return parts.join(' · ');
}
