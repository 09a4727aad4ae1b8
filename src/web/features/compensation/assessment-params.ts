/** The assessment form's pure parts: which inputs and options a method takes, local times with their offset. */
import type { AssessBody } from './compensation-api.js';

export type Method = AssessBody['method'];
export type Option = keyof AssessBody['parameters'];

/** The files each method reads (as the server's assess route wants them). */
export const METHOD_INPUTS: Record<Method, ('orders' | 'prices' | 'items')[]> = {
  'outage-price-diff': ['orders', 'prices'],
  'fraud-loss': ['items'],
  'delayed-funds': ['items'],
  'fee-refund': ['items'],
  fixed: ['items'],
};

/** The options each method takes (docs/compensation.md); the outage window is asked for apart. */
export const METHOD_OPTIONS: Record<Method, Option[]> = {
  'outage-price-diff': ['cap', 'min', 'goodwill'],
  'fraud-loss': ['cap', 'min', 'goodwill'],
  'delayed-funds': ['rate', 'dayCount', 'cap', 'min', 'goodwill'],
  'fee-refund': ['cap', 'min', 'goodwill'],
  fixed: ['amount'],
};

/**
 * A datetime-local value ("2026-03-02T10:00") read in the viewer's zone, as ISO-8601 with that zone's
 * offset ("2026-03-02T10:00:00+08:00"): the run's parameters then say the time the viewer meant.
 */
export function localToOffsetIso(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}`);
  if (Number.isNaN(d.getTime())) return undefined;
  const off = -d.getTimezoneOffset();
  const abs = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${m[1]}T${m[2]}${m[3] ?? ':00'}${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The parameters to send: only the method's own, and only those filled in. */
export function methodParameters(
  method: Method,
  values: Partial<Record<Option, string>>,
): AssessBody['parameters'] | { error: 'outageStart' | 'outageEnd' } {
  const out: AssessBody['parameters'] = {};
  if (method === 'outage-price-diff') {
    for (const k of ['outageStart', 'outageEnd'] as const) {
      const iso = localToOffsetIso(values[k] ?? '');
      if (!iso) return { error: k };
      out[k] = iso;
    }
  }
  for (const k of METHOD_OPTIONS[method]) {
    const v = values[k]?.trim();
    if (v) out[k] = v;
  }
  return out;
}
