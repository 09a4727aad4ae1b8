/**
 * Statement templates: `templates/statements/<kind>.<scenario>.md` (falling back to `<kind>.generic.md`),
 * a YAML front matter with the title in both languages, then a `<!-- zh -->` and an `<!-- en -->`
 * section of Markdown. Filled with `src/shared/template.ts` from the incident's facts, each language
 * with its own words (times in Asia/Shanghai). Files are read once and kept: drafting takes no I/O.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Incident } from '../../../shared/incident-schemas.js';
import type { StatementKind } from '../../../shared/plan-schemas.js';
import type { StatementScenario } from '../../../shared/statement-schemas.js';
import { renderTemplate, type TemplateValue } from '../../../shared/template.js';
import { bundledPath } from '../../platform/bundled.js';

export interface Template {
  title: { zh: string; en: string };
  body: { zh: string; en: string };
}

/** Parses one template file's text; throws naming what is missing. */
export function parseTemplate(text: string): Template {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error('a statement template starts with a YAML front matter between --- lines');
  const front = YAML.parse(m[1]!) as { title?: { zh?: unknown; en?: unknown } } | null;
  const zhTitle = front?.title?.zh;
  const enTitle = front?.title?.en;
  if (typeof zhTitle !== 'string' || typeof enTitle !== 'string')
    throw new Error('the front matter names title: { zh, en }');
  const parts = m[2]!.split(/^<!--\s*(zh|en)\s*-->\s*$/m);
  const section = (lang: string) => {
    const i = parts.indexOf(lang);
    if (i < 0) throw new Error(`the template has no <!-- ${lang} --> section`);
    return (parts[i + 1] ?? '').trim();
  };
  return { title: { zh: zhTitle, en: enTitle }, body: { zh: section('zh'), en: section('en') } };
}

/** The template of `kind` for `scenario` (else the kind's generic one) from `dir`, read once per file. */
export function createTemplateStore(dir: string | null = bundledPath('templates', 'statements')) {
  const cache = new Map<string, Template | null>();
  const load = (name: string): Template | null => {
    if (cache.has(name)) return cache.get(name)!;
    const file = dir ? path.join(dir, `${name}.md`) : null;
    const t = file && fs.existsSync(file) ? parseTemplate(fs.readFileSync(file, 'utf8')) : null;
    cache.set(name, t);
    return t;
  };
  return {
    get(kind: StatementKind, scenario: StatementScenario): Template {
      const t = load(`${kind}.${scenario}`) ?? load(`${kind}.generic`);
      // A kind without any template still drafts: an empty text for a person to write.
      return t ?? { title: { zh: '', en: '' }, body: { zh: '', en: '' } };
    },
  };
}
export type TemplateStore = ReturnType<typeof createTemplateStore>;

/** The scenario an incident most likely is, for the template when none is asked for. */
export function guessScenario(incident: Pick<Incident, 'category' | 'tags' | 'title'>): StatementScenario {
  const words = `${incident.title} ${incident.tags.join(' ')}`.toLowerCase();
  switch (incident.category) {
    case 'network_attack':
      if (/ddos|denial|拒绝服务|flood/.test(words)) return 'ddos';
      if (/t1110|credential|stuffing|brute|撞库|account/.test(words)) return 'credential_stuffing';
      return 'generic';
    case 'malicious_program':
      return 'ransomware';
    case 'data_security':
      return 'data_leak';
    case 'equipment_failure':
    case 'force_majeure':
      return 'outage';
    default:
      return 'generic';
  }
}

const TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** `2026-12-03 14:05` in Asia/Shanghai. */
export function shanghaiTime(at: number): string {
  const p = Object.fromEntries(TIME.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const GRADE = {
  zh: { I: 'I级（特别重大）', II: 'II级（重大）', III: 'III级（较大）', IV: 'IV级（一般）' },
  en: {
    I: 'grade I (particularly serious)',
    II: 'grade II (serious)',
    III: 'grade III (major)',
    IV: 'grade IV (general)',
  },
} as const;

/** When it started: the first event detection saw, else when it was detected. */
export const startedAt = (incident: Incident): number =>
  Date.parse(incident.summaryFacts?.firstSeenAt ?? incident.milestones.detectedAt);

/** The values templates may name, in one language. */
export function templateValues(incident: Incident, lang: 'zh' | 'en', now: number): Record<string, TemplateValue> {
  const zh = lang === 'zh';
  const count = (n: number | null) => (n === null ? (zh ? '正在核实' : 'being assessed') : n.toLocaleString('en-US'));
  const services = incident.services.map((s) => (zh ? s.nameZh : s.nameEn));
  return {
    'incident.key': incident.key,
    'incident.title': (zh ? incident.titleI18n?.['zh-CN'] : incident.titleI18n?.en) ?? incident.title,
    'incident.grade': GRADE[lang][incident.grade],
    'incident.detected_at': shanghaiTime(Date.parse(incident.milestones.detectedAt)),
    'incident.started_at': shanghaiTime(startedAt(incident)),
    services: services.length ? services.join(zh ? '、' : ', ') : zh ? '部分业务' : 'some of our services',
    'impact.customers': count(incident.impact.customersAffected),
    'impact.records': count(incident.impact.recordsExposed),
    now: shanghaiTime(now),
  };
}

/** The template filled from the incident's facts in both languages. */
export function fillTemplate(t: Template, incident: Incident, now: number): Template {
  const zh = templateValues(incident, 'zh', now);
  const en = templateValues(incident, 'en', now);
  return {
    title: { zh: renderTemplate(t.title.zh, zh), en: renderTemplate(t.title.en, en) },
    body: { zh: renderTemplate(t.body.zh, zh), en: renderTemplate(t.body.en, en) },
  };
}
