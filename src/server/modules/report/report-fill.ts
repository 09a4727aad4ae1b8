/**
 * Filling a report template from the incident's facts: each `{{ fact }}` becomes the fact's value in the
 * section's language, or a mark — `【待补充：label】` / `[TO BE COMPLETED: label]` — when the incident does
 * not have it. The missing facts of a report are the marks its text still holds: they are listed until a
 * person writes the fact in (no separate list to get out of step with the text).
 */
import type { LocalizedText } from '../../../shared/api-schemas.js';
import type { MissingFact, ReportFields } from '../../../shared/report-schemas.js';
import { FACT_LABELS, type FactValues } from './report-facts.js';
import type { ReportTemplate } from './report-templates.js';

const FACT = /\{\{\s*([a-z0-9_.]+)\s*\}\}/g;
const mark = { zh: (label: string) => `【待补充：${label}】`, en: (label: string) => `[TO BE COMPLETED: ${label}]` };
const MARKS = { zh: /【待补充：([^】]+)】/g, en: /\[TO BE COMPLETED: ([^\]]+)\]/g };

/** The facts a template names that are not known facts (a template error; tests check the shipped ones). */
export function unknownFacts(t: ReportTemplate): string[] {
  const texts = [t.title.zh, t.title.en, ...t.sections.flatMap((s) => [s.zh, s.en])];
  const names = texts.flatMap((x) => [...x.matchAll(FACT)].map((m) => m[1]!));
  return [...new Set(names.filter((n) => !Object.hasOwn(FACT_LABELS, n)))];
}

function render(text: string, lang: 'zh' | 'en', facts: FactValues): string {
  return text.replace(FACT, (_m, name: string) => {
    const v = facts[name];
    if (v) return v[lang];
    const label = FACT_LABELS[name];
    return label ? mark[lang](label[lang]) : mark[lang](name);
  });
}

/** The title and the sections' text, filled. */
export function fillReport(t: ReportTemplate, facts: FactValues): { title: LocalizedText; fields: ReportFields } {
  const fields: ReportFields = {};
  for (const s of t.sections) fields[s.id] = { zh: render(s.zh, 'zh', facts), en: render(s.en, 'en', facts) };
  return {
    title: { 'zh-CN': render(t.title.zh, 'zh', facts), en: render(t.title.en, 'en', facts) },
    fields,
  };
}

const factByLabel = new Map(
  Object.entries(FACT_LABELS).flatMap(([fact, l]) => [
    [`zh:${l.zh}`, fact],
    [`en:${l.en}`, fact],
  ]),
);

/** The facts still marked missing in the fields, once per section and fact, in section order. */
export function missingIn(fields: ReportFields): MissingFact[] {
  const out: MissingFact[] = [];
  const seen = new Set<string>();
  for (const [section, text] of Object.entries(fields)) {
    for (const lang of ['zh', 'en'] as const) {
      for (const m of text[lang].matchAll(MARKS[lang])) {
        const fact = factByLabel.get(`${lang}:${m[1]}`) ?? m[1]!;
        const key = `${section}\u0000${fact}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const label = FACT_LABELS[fact];
        out.push({ fact, section, label: label ? { 'zh-CN': label.zh, en: label.en } : { 'zh-CN': m[1]!, en: m[1]! } });
      }
    }
  }
  return out;
}
