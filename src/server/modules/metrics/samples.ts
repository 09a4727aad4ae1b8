/** Samples as posted, checked one by one (a bad one is rejected with its reason, the rest are kept), and series identity. */
import { createHash } from 'node:crypto';
import { LABEL_NAME_RE, METRIC_LIMITS, METRIC_NAME_RE } from '../../../shared/metrics-schemas.js';
import { hasLoneSurrogate } from '../../../shared/text.js';

/** A checked sample: a finite value at an epoch-ms time. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  time: number;
}

const SAMPLE_KEYS = new Set(['name', 'labels', 'value', 'time']);
/** Samples further in the future than this are refused (a clock off by more is a bug worth hearing about). */
export const MAX_FUTURE_MS = 60 * 60_000;

/** Labels sorted by name, as JSON: the same set of labels always gives the same text. */
export function canonicalLabels(labels: Record<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) sorted[k] = labels[k]!;
  return JSON.stringify(sorted);
}

/** The identity of a series: SHA-256 of its name and canonical labels. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  return createHash('sha256')
    .update(`${name}\n${canonicalLabels(labels)}`)
    .digest('hex');
}

/** `name{a="1",b="2"}`, as Prometheus writes a series. */
export function seriesText(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

/** Why a metric name or label set is not acceptable, or null. */
export function checkSeries(name: unknown, labels: unknown): string | null {
  if (typeof name !== 'string' || !METRIC_NAME_RE.test(name))
    return 'name must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)';
  if (name.length > METRIC_LIMITS.nameLength) return `name is longer than ${METRIC_LIMITS.nameLength} characters`;
  if (labels === undefined) return null;
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return 'labels must be an object of strings';
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > METRIC_LIMITS.labels) return `more than ${METRIC_LIMITS.labels} labels`;
  for (const [k, v] of entries) {
    if (!LABEL_NAME_RE.test(k) || k.length > METRIC_LIMITS.labelNameLength)
      return `label "${k.slice(0, 40)}" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, at most ${METRIC_LIMITS.labelNameLength})`;
    if (k.startsWith('__')) return `label "${k}": names starting with __ are reserved`;
    if (typeof v !== 'string') return `label "${k}" must be a string`;
    if (v.length > METRIC_LIMITS.labelValueLength)
      return `label "${k}" is longer than ${METRIC_LIMITS.labelValueLength} characters`;
    if (v.includes('\u0000')) return `label "${k}" contains a NUL character`;
    if (hasLoneSurrogate(v))
      return `label "${k}" contains a lone UTF-16 surrogate (an unpaired \\ud800–\\udfff escape), which is not Unicode text`;
  }
  return null;
}

/** Reads a sample's time: ISO-8601 with a zone, or epoch ms; default `now`. */
function readTime(t: unknown, now: number, oldest: number): number | string {
  let ms: number;
  if (t === undefined || t === null) return now;
  if (typeof t === 'number') {
    if (!Number.isSafeInteger(t)) return 'time must be an integer number of epoch milliseconds';
    ms = t;
  } else if (typeof t === 'string') {
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(t))
      return 'time must be ISO-8601 with a zone (2026-11-28T09:30:00+08:00) or epoch ms';
    ms = Date.parse(t);
    if (Number.isNaN(ms)) return 'time is not a valid date';
  } else return 'time must be ISO-8601 or epoch ms';
  if (ms > now + MAX_FUTURE_MS) return 'time is more than an hour in the future';
  if (ms < oldest) return 'time is older than the retention period';
  return ms;
}

/** Checks one posted element; returns the sample or the reason it is refused. */
export function checkSample(raw: unknown, now: number, oldest: number): Sample | { reason: string } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { reason: 'a sample must be an object {name, labels?, value, time?}' };
  const s = raw as Record<string, unknown>;
  const unknown = Object.keys(s).find((k) => !SAMPLE_KEYS.has(k));
  if (unknown !== undefined) return { reason: `unknown field "${unknown.slice(0, 40)}"` };
  const bad = checkSeries(s.name, s.labels);
  if (bad) return { reason: bad };
  if (typeof s.value !== 'number' || !Number.isFinite(s.value)) return { reason: 'value must be a finite number' };
  const time = readTime(s.time, now, oldest);
  if (typeof time === 'string') return { reason: time };
  return {
    name: s.name as string,
    labels: { ...((s.labels as Record<string, string> | undefined) ?? {}) },
    value: s.value,
    time,
  };
}
