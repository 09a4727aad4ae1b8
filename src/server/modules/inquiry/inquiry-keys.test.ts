/** Tags and sentiment from the keyword table, references a customer can read out, masks staff see. */
import { describe, expect, it } from 'vitest';
import { contactKey, maskContact, newReference, normalizeReference } from './inquiry-keys.js';
import { sentimentOf, topicsOf } from './inquiry-topics.js';

describe('inquiry topics and sentiment', () => {
  it('tags zh and en questions by keyword', () => {
    expect(topicsOf('登录不了，资金被冻结了吗？')).toEqual(['login', 'funds']);
    expect(topicsOf('My ORDER was not filled, will you compensate me?')).toEqual(['order', 'compensation']);
    expect(topicsOf('听说客户信息泄露了')).toEqual(['leak']);
    expect(topicsOf('你好')).toEqual([]);
  });
  it('finds negative words first, thanks next, else neutral', () => {
    expect(sentimentOf('太差了，我要投诉！')).toBe('negative');
    expect(sentimentOf('Thanks, but this is unacceptable')).toBe('negative');
    expect(sentimentOf('谢谢你们')).toBe('positive');
    expect(sentimentOf('When will the app work?')).toBe('neutral');
  });
});

describe('inquiry references and contacts', () => {
  it('makes random references of unambiguous characters and reads them back as typed', () => {
    const refs = new Set(Array.from({ length: 200 }, newReference));
    expect(refs.size).toBe(200);
    for (const r of refs) expect(r).toMatch(/^Q-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeReference(' q-7k3m 9d2p ')).toBe('Q-7K3M-9D2P');
    expect(normalizeReference('Q-7K3M')).toBeNull();
  });
  it('normalizes phones (+86, spaces) and emails (case) to one key; masks name, phone and email', () => {
    expect(contactKey('+86 138-0013-8000')).toBe(contactKey('13800138000'));
    expect(contactKey(' Li@Example.com ')).toBe('e:li@example.com');
    expect(maskContact({ name: '欧阳小明', phone: '13800138000', email: 'li@example.com' })).toBe(
      '欧*** · 138****8000 · l***@example.com',
    );
  });
});
