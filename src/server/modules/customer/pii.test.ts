/** Normalizers, checks and masks of customers' personal data. */
import { describe, expect, it } from 'vitest';
import {
  isValidBankCard,
  isValidEmail,
  isValidIdNumber,
  isValidPhone,
  maskBankCard,
  maskEmail,
  maskIdNumber,
  maskPhone,
  normalizeBankCard,
  normalizeEmail,
  normalizeIdNumber,
  normalizePhone,
} from './pii.js';

describe('customer personal data', () => {
  it('normalizes phones to digits without the +86 / 86 prefix of a CN mobile', () => {
    expect(normalizePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('8613812345678')).toBe('13812345678');
    expect(normalizePhone('138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('+1 415 555 0123')).toBe('14155550123');
  });

  it('accepts CN mobiles and +E.164 numbers only', () => {
    for (const ok of ['13812345678', '+8613812345678', '+86 138 1234 5678', '+14155550123'])
      expect(isValidPhone(ok), ok).toBe(true);
    for (const bad of ['1381234567', '23812345678', '010-12345678', '+0123456', 'phone', '138123456789'])
      expect(isValidPhone(bad), bad).toBe(false);
  });

  it('normalizes and checks emails', () => {
    expect(normalizeEmail('  Zhang.San@Example.COM ')).toBe('zhang.san@example.com');
    expect(isValidEmail('zhang@example.com')).toBe(true);
    for (const bad of ['zhang@', '@example.com', 'zhang example.com', 'zhang@example'])
      expect(isValidEmail(bad), bad).toBe(false);
  });

  it('checks the GB 11643 check digit of an 18-character ID number', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
    expect(isValidIdNumber('110101199003077715')).toBe(true);
    expect(isValidIdNumber('110101199003077718')).toBe(false); // wrong check digit
    expect(isValidIdNumber('11010119900307771')).toBe(false); // 17 characters
  });

  it("checks a bank card's Luhn digit", () => {
    expect(isValidBankCard('6222021234567894')).toBe(true);
    expect(isValidBankCard('6222 0212 3456 7894')).toBe(true);
    expect(isValidBankCard('6222021234567890')).toBe(false);
    expect(isValidBankCard('4111-1111-1111-1111')).toBe(true);
    expect(isValidBankCard('62220212345')).toBe(false);
    expect(normalizeBankCard('6222 0212 3456 7894')).toBe('6222021234567894');
  });

  it('masks as staff lists show them', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskEmail('zhang@example.com')).toBe('z***@example.com');
    expect(maskIdNumber('110101199003071234')).toBe('110101********1234');
    expect(maskBankCard('6222021234567894')).toBe('**** **** **** 7894');
  });
});
