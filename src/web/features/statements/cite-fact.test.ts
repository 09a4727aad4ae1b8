import { describe, expect, it } from 'vitest';
import type { FactEntry } from '../media/media-api.js';
import { appendParagraph, citable, citationOf } from './cite-fact.js';

const fact = (verdict: FactEntry['verdict']) =>
  ({
    id: verdict,
    verdict,
    claim: { zh: '客户资金被盗', en: 'Customer funds were stolen' },
    rebuttal: { zh: '不实。客户资金安全。', en: 'False. Customer funds are safe.' },
  }) as FactEntry;

describe('citing the fact register', () => {
  it('offers confirmed facts and rebutted rumors, never unverified claims', () => {
    expect(citable([fact('confirmed'), fact('unverified'), fact('false')]).map((f) => f.id)).toEqual([
      'confirmed',
      'false',
    ]);
  });

  it('quotes a fact, answers a rumor with its rebuttal without repeating it, in each language', () => {
    expect(citationOf(fact('confirmed'))).toEqual({ zh: '客户资金被盗', en: 'Customer funds were stolen' });
    expect(citationOf(fact('false'))).toEqual({
      zh: '**辟谣：**不实。客户资金安全。',
      en: '**Fact check:** False. Customer funds are safe.',
    });
  });

  it('appends a paragraph of its own', () => {
    expect(appendParagraph('第一段。\n', '第二段。')).toBe('第一段。\n\n第二段。');
    expect(appendParagraph('  ', 'Only')).toBe('Only');
  });
});
