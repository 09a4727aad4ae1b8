/** Printing titled sections: the "DRAFT" watermark marks every page without changing how the text is laid out. */
import { describe, expect, it } from 'vitest';
import { documentPdf, type PrintableDoc } from './report-export.js';

const pagesOf = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('documentPdf', () => {
  it('lays out a long draft on as many pages as the approved one', async () => {
    const doc: PrintableDoc = {
      title: 'Investigation report INC-2026-0001',
      lang: 'en',
      preamble: ['State: draft'],
      sections: [{ heading: 'Evidence', text: Array.from({ length: 200 }, (_, i) => `item ${i} 证据`).join('\n') }],
    };
    const approved = await documentPdf(doc);
    const draft = await documentPdf({ ...doc, watermark: 'DRAFT' });
    expect(approved.subarray(0, 4).toString()).toBe('%PDF');
    expect(pagesOf(approved)).toBeGreaterThan(1);
    expect(pagesOf(draft)).toBe(pagesOf(approved));
  });
});
