/** Helpers for the Sigma engine's tests: rules from YAML text, events from fields. */
import type { DetectionEvent, LogSource } from '../src/event.js';
import { createSigmaEngine, type SigmaEngine, type SigmaEngineOptions } from '../src/engine.js';

let n = 0;

/** An engine from YAML rule texts (one file each). */
export function engineOf(rules: string | string[], opts: Omit<SigmaEngineOptions, 'rules'> = {}): SigmaEngine {
  const list = Array.isArray(rules) ? rules : [rules];
  return createSigmaEngine({ rules: list.map((text, i) => ({ file: `rule${i}.yml`, text })), ...opts });
}

export function ev(
  fields: Record<string, unknown>,
  logsource: LogSource = { product: 'test' },
  time = 1_700_000_000_000,
): DetectionEvent {
  return { id: `e${++n}`, time, source: 'test', logsource, fields };
}

/** A one-selection rule over product `test`. */
export function rule(selection: string, condition = 'sel', extra = ''): string {
  return `title: t\nid: r1\nlogsource: {product: test}\ndetection:\n${selection.replace(/^/gm, '  ')}\n  condition: ${condition}\n${extra}`;
}

/** Does a one-rule engine match these fields? */
export function hits(e: SigmaEngine, fields: Record<string, unknown>): boolean {
  return e.process([ev(fields)]).length > 0;
}
