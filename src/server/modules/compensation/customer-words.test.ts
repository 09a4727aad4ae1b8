/** How amounts and references read to the customer: exact yuan from fen, and references typed loosely. */
import { describe, expect, it } from 'vitest';
import { goodwillText, moneyText, yuanText } from './customer-words.js';
import { normalizeClaimRef } from './portal.service.js';

describe('customer words', () => {
  it('writes fen as yuan exactly, grouped, in each language', () => {
    expect(yuanText(0)).toBe('0.00');
    expect(yuanText(5)).toBe('0.05');
    expect(yuanText(123_456)).toBe('1,234.56');
    // 10^13 fen (the API's cap) is past 2^43 and still exact.
    expect(yuanText(10_000_000_000_000)).toBe('100,000,000,000.00');
    expect(moneyText(123_456, 'zh-CN')).toBe('1,234.56 元');
    expect(moneyText(123_456, 'en')).toBe('CNY 1,234.56');
    expect(goodwillText('fixed_amount', 5_000, 'zh-CN')).toBe('善意补偿 50.00 元');
    expect(goodwillText(null, null, 'en')).toBeNull();
  });

  it('reads a claim reference whatever the case, spaces or dashes; refuses anything else', () => {
    expect(normalizeClaimRef('cmp-ab12-cd34-ef56')).toBe('CMP-AB12-CD34-EF56');
    expect(normalizeClaimRef(' AB12 CD34 EF56 ')).toBe('CMP-AB12-CD34-EF56');
    expect(normalizeClaimRef('CMPAB12CD34EF56')).toBe('CMP-AB12-CD34-EF56');
    expect(normalizeClaimRef('Q-AB12-CD34')).toBeNull();
    expect(normalizeClaimRef("CMP-AB12-CD34-EF5'")).toBeNull();
  });
});
