/**
 * The editor's form values and the version they save: times as `datetime-local` text in the browser's zone
 * (stored as epoch milliseconds), scope lists (customer groups, regions) as one entry per line per language.
 */
import type { StatementFields, StatementVersion, VersionInput } from './statements-api.js';

type Pair = { zh: string; en: string };
export const TIME_FIELDS = ['startedAt', 'detectedAt', 'resolvedAt', 'nextUpdateAt'] as const;
export const TEXT_FIELDS = ['cause', 'measures', 'customerAction'] as const;
export const LIST_FIELDS = ['customerGroups', 'regions'] as const;
type TimeField = (typeof TIME_FIELDS)[number];
type TextField = (typeof TEXT_FIELDS)[number];
type ListField = (typeof LIST_FIELDS)[number];

export interface StatementForm {
  title: Pair;
  body: Pair;
  status: StatementFields['status'] | null;
  impact: StatementFields['impact'] | null;
  times: Record<TimeField, string>;
  texts: Record<TextField, Pair>;
  services: string[];
  /** One entry per line, zh and en lines paired by position. */
  lists: Record<ListField, Pair>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch milliseconds as a `datetime-local` value in the browser's zone ('' for none). */
export function msToLocalInput(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as epoch milliseconds (null when empty or not a time). */
export function localInputToMs(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

const lines = (text: string) => text.split('\n').map((l) => l.trim());

export function toForm(v: Pick<StatementVersion, 'title' | 'body' | 'fields'>): StatementForm {
  const f = v.fields;
  const list = (items: Pair[] | undefined): Pair => ({
    zh: (items ?? []).map((i) => i.zh).join('\n'),
    en: (items ?? []).map((i) => i.en).join('\n'),
  });
  return {
    title: { ...v.title },
    body: { ...v.body },
    status: f.status ?? null,
    impact: f.impact ?? null,
    times: {
      startedAt: msToLocalInput(f.startedAt),
      detectedAt: msToLocalInput(f.detectedAt),
      resolvedAt: msToLocalInput(f.resolvedAt),
      nextUpdateAt: msToLocalInput(f.nextUpdateAt),
    },
    texts: {
      cause: f.cause ?? { zh: '', en: '' },
      measures: f.measures ?? { zh: '', en: '' },
      customerAction: f.customerAction ?? { zh: '', en: '' },
    },
    services: f.services ?? [],
    lists: { customerGroups: list(f.customerGroups), regions: list(f.regions) },
  };
}

/** Lines of both languages paired by position; a pair with neither is dropped. */
export function pairLines(p: Pair): Pair[] {
  const zh = lines(p.zh);
  const en = lines(p.en);
  const out: Pair[] = [];
  for (let i = 0; i < Math.max(zh.length, en.length); i++) {
    const pair = { zh: zh[i] ?? '', en: en[i] ?? '' };
    if (pair.zh || pair.en) out.push(pair);
  }
  return out;
}

/** What `POST .../versions` takes; `withFields`: the status-site kinds' structured fields too. */
export function fromForm(form: StatementForm, withFields: boolean): VersionInput {
  const out: VersionInput = { title: form.title, body: form.body };
  if (!withFields) return out;
  const fields: StatementFields = {
    services: form.services,
    customerGroups: pairLines(form.lists.customerGroups),
    regions: pairLines(form.lists.regions),
  };
  if (form.status) fields.status = form.status;
  if (form.impact) fields.impact = form.impact;
  for (const k of TIME_FIELDS) fields[k] = localInputToMs(form.times[k]);
  for (const k of TEXT_FIELDS) if (form.texts[k].zh || form.texts[k].en) fields[k] = form.texts[k];
  out.fields = fields;
  return out;
}
