/**
 * Field lookup by name or dotted path (`user.name` reaches into `{"user": {"name": ...}}`); reading one
 * is `fieldValue` (src/shared/event-fields.ts), which the alert entities and the console use too.
 */
import { fieldValue } from '../../../shared/event-fields.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: object, k: string) => Object.hasOwn(o, k);

/** Removes and returns the value at `path` (as fieldValue finds it). */
export function takePath(obj: Record<string, unknown>, path: string): unknown {
  if (own(obj, path)) {
    const v = obj[path];
    delete obj[path];
    return v;
  }
  if (!path.includes('.')) return undefined;
  const parts = path.split('.');
  const leaf = parts.pop()!;
  let cur: unknown = obj;
  for (const part of parts) {
    if (!isObject(cur) || !own(cur, part)) return undefined;
    cur = cur[part];
  }
  if (!isObject(cur) || !own(cur, leaf)) return undefined;
  const v = cur[leaf];
  delete cur[leaf];
  return v;
}

/** The first of `paths` that holds a value other than null or "". */
export function firstOf(obj: Record<string, unknown>, paths: readonly string[]): unknown {
  for (const p of paths) {
    const v = fieldValue(obj, p);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

export { isObject };
