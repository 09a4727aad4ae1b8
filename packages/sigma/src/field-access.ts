/** Reading event fields by Sigma field name: renames of the log source, dotted paths, lower-casing once. */
import type { EvalContext } from './types.js';

/** Event field name for a Sigma field name under the context's renames. */
export const eventKey = (ctx: EvalContext, name: string): string =>
  ctx.renames !== null ? (ctx.renames.get(name) ?? name) : name;

/** Value at a dotted path in nested objects (`http.response.status_code`). */
export function getPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The raw value of an event field: an exact key first, then a dotted path. */
export function readKey(fields: Record<string, unknown>, key: string): unknown {
  const v = fields[key];
  if (v !== undefined || !key.includes('.')) return v;
  return getPath(fields, key);
}

export const readField = (ctx: EvalContext, name: string): unknown => readKey(ctx.fields, eventKey(ctx, name));

/** Lower-cased text of a scalar field value, computed once per event and field (key '': a list element, not cached). */
export function lowerText(ctx: EvalContext, key: string, v: unknown): string | undefined {
  if (typeof v !== 'string')
    return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
  if (key === '') return v.toLowerCase();
  let l = ctx.lower.get(key);
  if (l === undefined) {
    l = v.toLowerCase();
    ctx.lower.set(key, l);
  }
  return l;
}

/** Every string (and number) value of the event, lower-cased, for keyword searches. */
export function allStrings(ctx: EvalContext): string[] {
  if (ctx.allStrings !== null) return ctx.allStrings;
  const out: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 32) return;
    if (typeof v === 'string') out.push(v.toLowerCase());
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(ctx.fields, 0);
  ctx.allStrings = out;
  return out;
}

/**
 * Event time components for the time modifiers, in UTC. Accepts epoch seconds or ms (numbers or
 * digit strings) and ISO-8601 (an explicit offset is applied; no zone means UTC). Other date
 * formats do not match: parsing them would depend on the server's time zone.
 */
export function timePart(v: unknown, part: string): number | undefined {
  let ms: number;
  if (typeof v === 'number') ms = v < 1e11 ? v * 1000 : v;
  else if (typeof v === 'string' && /^\s*\d{9,16}\s*$/.test(v)) {
    const n = Number(v);
    ms = n < 1e11 ? n * 1000 : n;
  } else if (typeof v === 'string') {
    let s = v.trim();
    if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
    if (/^\d{4}-\d{2}-\d{2} \d/.test(s)) s = s.replace(' ', 'T');
    if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += 'Z';
    ms = Date.parse(s);
  } else return undefined;
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week': {
      // ISO 8601 week number.
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
    }
    default:
      return undefined;
  }
}
