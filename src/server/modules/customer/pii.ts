/**
 * A customer's personal data, as values: normalizing (what is hashed and sealed), checking (CN mobile or
 * E.164 phone, email, the 18-character resident ID with its GB 11643 check digit, a bank card's Luhn
 * digit) and masking (what lists show). Pure functions; never log what they are given.
 */

/** Phone: digits only, without +86 / 86 / 0086 before a CN mobile; another country keeps its code. */
export function normalizePhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  const cn = /^(?:0086|86)(1\d{10})$/.exec(digits);
  return cn ? cn[1]! : digits;
}

/** Whether `raw` is a CN mobile (11 digits starting 1, optionally after +86) or a +E.164 number. */
export function isValidPhone(raw: string): boolean {
  const t = raw.trim().replace(/[\s()-]/g, '');
  if (/^(?:\+86|0086|86)?1\d{10}$/.test(t)) return true;
  return /^\+[1-9]\d{6,14}$/.test(t);
}

/** The phone as it is kept: a CN mobile as its 11 digits, another number as +E.164. */
export function canonicalPhone(raw: string): string {
  const n = normalizePhone(raw);
  return /^1\d{10}$/.test(n) ? n : `+${n}`;
}

export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase();

export function isValidEmail(raw: string): boolean {
  const t = raw.trim();
  return t.length <= 254 && /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[A-Za-z]{2,}$/.test(t);
}

export const normalizeIdNumber = (raw: string): string => raw.trim().toUpperCase();

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999: 17 digits and a check character (0-9 or X) = ISO 7064 MOD 11-2. */
export function isValidIdNumber(raw: string): boolean {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17];
}

export const normalizeBankCard = (raw: string): string => raw.replace(/\D/g, '');

/** Luhn (ISO/IEC 7812) over 12-19 digits. */
export function isValidBankCard(raw: string): boolean {
  if (/[^\d\s-]/.test(raw)) return false;
  const d = normalizeBankCard(raw);
  if (d.length < 12 || d.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let v = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 === 0;
}

/** `138****1234` (a +E.164 number keeps its first 3 and last 4 characters likewise). */
export function maskPhone(phone: string): string {
  return phone.length <= 7 ? '****' : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** `z***@example.com` */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/** `110101********1234`: the region (6) and the last 4 (birth date hidden). */
export function maskIdNumber(id: string): string {
  return id.length < 10 ? '****' : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** `**** **** **** 1234` */
export const maskBankCard = (card: string): string => `**** **** **** ${card.slice(-4)}`;

/** The sealed part of a customer. */
export interface Pii {
  phone?: string;
  email?: string;
  idNumber?: string;
  bankCard?: string;
}

export const PII_FIELDS = ['phone', 'email', 'idNumber', 'bankCard'] as const;
export type PiiField = (typeof PII_FIELDS)[number];

/** The value a field is kept as (sealed) and hashed as (normalized). */
export function keptForm(field: PiiField, raw: string): { kept: string; hashed: string; masked: string } {
  switch (field) {
    case 'phone': {
      const kept = canonicalPhone(raw);
      return { kept, hashed: normalizePhone(raw), masked: maskPhone(kept) };
    }
    case 'email': {
      const kept = normalizeEmail(raw);
      return { kept, hashed: kept, masked: maskEmail(kept) };
    }
    case 'idNumber': {
      const kept = normalizeIdNumber(raw);
      return { kept, hashed: kept, masked: maskIdNumber(kept) };
    }
    case 'bankCard': {
      const kept = normalizeBankCard(raw);
      return { kept, hashed: kept, masked: maskBankCard(kept) };
    }
  }
}
