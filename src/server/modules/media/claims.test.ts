import { describe, expect, it } from 'vitest';
import { maskContact } from './contact-mask.js';
import { normalizeClaim, repeatsClaim } from './claims.js';

describe('claims of the register', () => {
  it('normalizes width, case and whitespace', () => {
    expect(normalizeClaim('  Ｃｌｉｅｎｔ\tFUNDS\n\n  lost ')).toBe('client funds lost');
    expect(normalizeClaim('客户资金　被盗')).toBe('客户资金 被盗'); // the ideographic space is whitespace
  });

  it('finds a claim repeated in Chinese and in English, whatever the case or width', () => {
    const text = normalizeClaim('据传：客户资金被盗，Client FUNDS were STOLEN yesterday.');
    expect(repeatsClaim(text, '客户资金被盗')).toBe(true);
    expect(repeatsClaim(text, 'client funds were stolen')).toBe(true);
    expect(repeatsClaim(normalizeClaim('ＣＬＩＥＮＴ funds   were stolen'), 'Client funds were stolen')).toBe(true);
    expect(repeatsClaim(text, '交易系统瘫痪')).toBe(false);
  });

  it('never matches a claim shorter than four characters', () => {
    const text = normalizeClaim('资金安全，system ok');
    expect(repeatsClaim(text, '资金')).toBe(false);
    expect(repeatsClaim(text, 'ok')).toBe(false);
    expect(repeatsClaim(text, '资金安全')).toBe(true);
  });
});

describe('masked contacts', () => {
  it('hides most of a phone number or an email address', () => {
    expect(maskContact('13812345678')).toBe('138****5678');
    expect(maskContact('jane.doe@news.example')).toBe('j***@news.example');
    expect(maskContact('wx_abc')).toBe('w***c');
    expect(maskContact('ab')).toBe('***');
  });
});
