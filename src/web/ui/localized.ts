/**
 * Texts Tocsin wrote in both languages (detection's alert and incident titles, summaries): the viewer's
 * language, else the text as stored (a person's words, or a record from before both were kept).
 */
import type { LocalizedText } from '../../shared/api-schemas.js';

/** The pair's text in `language` (zh-* reads zh-CN, anything else English), or `fallback` without a pair. */
export function pick(pair: LocalizedText | null | undefined, language: string, fallback: string): string {
  if (!pair) return fallback;
  return (language.startsWith('zh') ? pair['zh-CN'] : pair.en) || fallback;
}

/** An incident's title as the viewer reads it (detection's in their language until a person edits it). */
export const incidentTitle = (i: { title: string; titleI18n?: LocalizedText | null }, language: string) =>
  pick(i.titleI18n, language, i.title);

/** An alert's rule title in the viewer's language. */
export const alertRuleTitle = (a: { ruleTitle: string; ruleTitles?: LocalizedText | null }, language: string) =>
  pick(a.ruleTitles, language, a.ruleTitle);

/** A rule title inside a timeline entry's data (`ruleTitles` pair, else the English `ruleTitle`). */
export function dataRuleTitle(d: { ruleTitle?: unknown; ruleTitles?: unknown }, language: string): string | null {
  const en = typeof d.ruleTitle === 'string' && d.ruleTitle ? d.ruleTitle : null;
  const pair = d.ruleTitles as Partial<LocalizedText> | null | undefined;
  const ok = pair && typeof pair === 'object' && typeof pair['zh-CN'] === 'string' && typeof pair.en === 'string';
  return ok ? pick(pair as LocalizedText, language, en ?? '') || null : en;
}

/** A text the console keeps as `{ zh, en }` (statements, the status site, the media desk) in the reader's language, the other one when that is empty. */
export function pickZhEn(text: { zh: string; en: string }, language: string): string {
  return language.startsWith('zh') ? text.zh || text.en : text.en || text.zh;
}
