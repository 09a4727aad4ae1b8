/** The shipped report templates: one per stage of the catalog, valid, naming only known facts. */
import { describe, expect, it } from 'vitest';
import { bundledObligationCatalog } from '../obligation/index.js';
import { FACT_LABELS } from './report-facts.js';
import { fillReport, missingIn, unknownFacts } from './report-fill.js';
import { createReportTemplates, parseReportTemplate } from './report-templates.js';

const templates = createReportTemplates();

describe('report templates', () => {
  it('has a valid template in both languages for every obligation stage of the catalog', () => {
    for (const o of bundledObligationCatalog().obligations)
      for (const s of o.stages) {
        const t = templates.get(o.id, s.stage);
        expect(t, `${o.id}.${s.stage}`).not.toBeNull();
        expect(unknownFacts(t!), `${o.id}.${s.stage}`).toEqual([]);
        for (const sec of t!.sections)
          expect(sec.zh.trim() && sec.en.trim(), `${o.id}.${s.stage} ${sec.id}`).toBeTruthy();
        if (o.id.startsWith('dora-')) expect(t!.sections.every((x) => x.code)).toBe(true);
      }
  });

  it('refuses a template with a section named twice', () => {
    const text =
      'title: { zh: a, en: a }\nsections:\n  - { id: x, heading: { zh: a, en: a }, zh: a, en: a }\n  - { id: x, heading: { zh: b, en: b }, zh: b, en: b }\n';
    expect(() => parseReportTemplate(text, 't.yml')).toThrow('section "x" is named twice');
  });

  it('marks what the incident does not say and lists it; filled facts are not listed', () => {
    const t = templates.get('cac-report', 'initial')!;
    const filled = fillReport(t, {
      ...Object.fromEntries(Object.keys(FACT_LABELS).map((k) => [k, null])),
      'incident.key': { zh: 'INC-1', en: 'INC-1' },
      'impact.customers_affected': { zh: '12', en: '12' },
    });
    expect(filled.fields.impact!.zh).toContain('受影响客户数：12');
    expect(filled.fields.cause!.zh).toBe('【待补充：原因分析】');
    expect(filled.fields.cause!.en).toBe('[TO BE COMPLETED: cause analysis]');
    const missing = missingIn(filled.fields).map((m) => m.fact);
    expect(missing).toContain('cause.analysis');
    expect(missing).not.toContain('impact.customers_affected');
  });
});
