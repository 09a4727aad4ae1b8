/**
 * The scenarios `tocsin drill replay` can play (docs/drills.md, technical drills): credential stuffing
 * (the demo scenario's login events), and the attacks our own rules are tested with — their positive test
 * events (rules/tocsin/tests/<rule>/positive.ndjson, shipped), moved in time so the last lands a minute
 * before now with the spacing kept (windows and sequences fire as in the test), so a drill runs the same
 * rules, incidents and plans a real attack would.
 */
import fs from 'node:fs';
import { bundledPath } from '../platform/bundled.js';
import { CliError } from './context.js';
import { loginEvents } from './scenario-credential-stuffing.js';

/** Each scenario's rule test folders (none: the demo's login events), and the plan it should start. */
const RULE_SCENARIOS = {
  ransomware: ['file_rename_ransomware_extension', 'file_event_ransom_note', 'file_rename_mass_by_process'],
  'data-leak': ['crm_bulk_export'],
  ddos: ['network_flow_ddos_volume', 'network_flow_ddos_many_sources'],
} as const;

type RuleScenario = keyof typeof RULE_SCENARIOS;
export type Scenario = 'credential-stuffing' | RuleScenario;
export const SCENARIOS: Scenario[] = ['credential-stuffing', ...(Object.keys(RULE_SCENARIOS) as RuleScenario[])];

export const isScenario = (s: string): s is Scenario => (SCENARIOS as string[]).includes(s);

const TIME_FIELDS = ['time', '@timestamp'] as const;

/** The events of `scenario` for a replay at `now` (epoch ms). */
export function scenarioEvents(scenario: Scenario, now: number): object[] {
  if (scenario === 'credential-stuffing') return loginEvents(`drill-${now.toString(36)}`, now - 60_000, 150, 400, 3);
  const events: Record<string, unknown>[] = [];
  for (const stem of RULE_SCENARIOS[scenario]) {
    const file = bundledPath('rules', 'tocsin', 'tests', stem, 'positive.ndjson');
    if (!file) throw new CliError(`the ${scenario} scenario's events (rules/tocsin/tests/${stem}) are not installed`);
    for (const line of fs.readFileSync(file, 'utf8').split('\n'))
      if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
  }
  const timeOf = (e: Record<string, unknown>) => {
    for (const f of TIME_FIELDS) if (typeof e[f] === 'string') return { field: f, ms: Date.parse(e[f] as string) };
    return null;
  };
  let last = Number.NEGATIVE_INFINITY;
  for (const e of events) last = Math.max(last, timeOf(e)?.ms ?? last);
  const shift = now - 60_000 - last;
  const moved = events.map((e) => {
    const t = timeOf(e);
    return t ? { ...e, [t.field]: new Date(t.ms + shift).toISOString() } : e;
  });
  return moved.sort((a, b) => (timeOf(a)?.ms ?? 0) - (timeOf(b)?.ms ?? 0));
}
