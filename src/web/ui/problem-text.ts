/**
 * Words for API problems in the reader's language: a problem's `code` and `params` (and each field
 * error's) become the catalog's `problemCode.*` / `fieldCode.*` message; a code this console does not
 * know (a newer server) falls back to the server's English text. Codes live in shared/problem-codes.ts.
 */
import type { FieldCode, ProblemCode, ProblemParams } from '../../shared/problem-codes.js';
import type { en } from '../i18n/en.js';

/** Every code's path in a catalog section ("incident.not_found"). */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
type Unworded =
  | Exclude<ProblemCode, Leaves<(typeof en)['problemCode']>>
  | Exclude<FieldCode, Leaves<(typeof en)['fieldCode']>>;
/**
 * Fails to compile while a code the server may send has no words in the catalogs (zh-CN has en's shape).
 * @public (a compile-time check: nothing reads it)
 */
export const EVERY_CODE_WORDED: [Unworded] extends [never] ? true : { unworded: Unworded } = true;

/** What this module needs of an i18next instance. */
export interface Words {
  t: (key: string, options?: Record<string, unknown>) => string;
  exists: (key: string) => boolean;
}

export interface ProblemLike {
  code?: string;
  params?: ProblemParams;
  detail?: string;
  errors?: FieldErrorLike[];
}
export interface FieldErrorLike {
  path: string;
  message: string;
  code?: string;
  params?: ProblemParams;
}

/** Params that are enumeration values, worded from the catalog section named (statuses, roles, kinds). */
const PARAM_SECTIONS: Partial<Record<ProblemCode, Record<string, string>>> = {
  'incident.transition_not_allowed': { from: 'status', to: 'status' },
  'incident.participant_exists': { role: 'participantRole' },
  'incident.participant_not_found': { role: 'participantRole' },
  'alert.not_open': { status: 'alertStatus' },
  'alert.not_active': { status: 'alertStatus' },
  'alert.entity_not_in_alert': { kind: 'entityKind' },
  'entity.invalid_name': { kind: 'entityKind' },
  'permission.denied': { role: 'role' },
  'permission.token_scope': { role: 'role' },
};

function wordedParams(w: Words, code: string, params: ProblemParams | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(params ?? {}) };
  // A wait in seconds, as the reader says it ("{{wait}}").
  if (typeof out.seconds === 'number') {
    const s = Math.max(1, Math.ceil(out.seconds));
    out.wait = s < 120 ? w.t('problem.seconds', { count: s }) : w.t('problem.minutes', { count: Math.ceil(s / 60) });
  }
  const sections = PARAM_SECTIONS[code as ProblemCode] ?? {};
  for (const [name, section] of Object.entries(sections)) {
    const key = `${section}.${String(out[name])}`;
    if (out[name] !== undefined && w.exists(key)) out[name] = w.t(key);
  }
  return out;
}

/** A code of a kind of failure only (`validation`, `not_found`): the server's detail says more than its words. */
const isGeneric = (code: string) => !code.includes('.');

/**
 * The problem in the reader's words: `text` from a specific code; for a generic code, English readers
 * get the server's (more specific, English) detail and others the generic words with that detail as
 * `original`; for an unknown code or none, the server's detail.
 */
export function problemText(w: Words, p: ProblemLike, language: string): { text?: string; original?: string } {
  const key = p.code ? `problemCode.${p.code}` : null;
  if (!key || !w.exists(key)) return { text: p.detail };
  const worded = w.t(key, wordedParams(w, p.code!, p.params));
  if (!isGeneric(p.code!) || !p.detail) return { text: worded };
  return language.startsWith('en') ? { text: p.detail } : { text: worded, original: p.detail };
}

/** A field error in the reader's words (zod's `too_small` of a string with minimum 1 is "required"), else the server's message. */
export function fieldText(w: Words, e: FieldErrorLike): string {
  if (!e.code || !w.exists(`fieldCode.${e.code}`)) return e.message;
  const params = e.params ?? {};
  if (e.code === 'too_small' && params.origin === 'string' && Number(params.minimum) === 1)
    return w.t('fieldCode.required');
  const variant =
    e.code === 'too_small' || e.code === 'too_big'
      ? params.origin
      : e.code === 'invalid_format'
        ? params.format
        : undefined;
  const specific = variant !== undefined ? `fieldCode.${e.code}_${String(variant)}` : null;
  return w.t(specific && w.exists(specific) ? specific : `fieldCode.${e.code}`, { ...params });
}
