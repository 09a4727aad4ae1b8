/**
 * Our own rules (rules/tocsin): every file compiles; each file's positive test events make its rules
 * fire (as often as expected) and its negative test events do not. Events run through one engine
 * holding all our rules and the bundled Windows mapping, as the server and `tocsin detect` load them,
 * and are read from rules/tocsin/tests/<file stem>/{positive,negative}.ndjson the way `tocsin detect`
 * reads event files (regenerate them with `node rules/tocsin/tests/generate.mjs`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CATEGORIES } from '../../../shared/enums.js';
import { LEVELS, type DetectionEvent, type RuleMatch } from './detection.types.js';
import {
  createSigmaEngine,
  parseMappingText,
  readEventFile,
  readRuleSources,
  toDetectionEvent,
  type SigmaEngine,
} from '@tocsin/sigma';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RULES = path.join(ROOT, 'rules/tocsin');
const TESTS = path.join(RULES, 'tests');
const README = fs.readFileSync(path.join(RULES, 'README.md'), 'utf8');
const MAPPING = parseMappingText(fs.readFileSync(path.join(ROOT, 'rules/mappings/windows-thor.yml'), 'utf8'));

/**
 * For each rule file: the rules it reports (its correlations and rules that no correlation uses) and
 * how many matches of each its positive events must produce. Sliding-window correlations start over
 * after firing, so a burst a little past the threshold fires once.
 */
const EXPECTED: Record<string, Record<string, number>> = {
  trading_login_many_accounts_one_source: { '95fa4895-874a-46cd-a448-2f770e76d64d': 1 },
  trading_login_one_account_many_sources: { '7195b38a-7637-49f1-9353-4487e4a57284': 1 },
  trading_login_failure_burst: { 'cc0fbfd9-61e3-4d94-be2b-a99280104ca0': 1 },
  trading_login_success_after_stuffing: { '5486bfb5-4a3c-4b39-bce3-4b5e0c3ee29b': 1 },
  account_takeover_chain: { 'e86d254e-e81a-407d-b269-81db415d3a26': 1 },
  bank_transfer_outflow_volume: { 'a88a18ee-18bc-4905-abf0-81b47fc37518': 1 },
  crm_bulk_export: { '388c88f6-5abd-4e52-ac48-4b49dfa76617': 1 },
  iam_offhours_privileged_account_creation: {
    '23aa55d0-7c02-4f2f-8ed6-60b2affa0c9d': 3, // privileged account created off hours: time, @timestamp and epoch `timestamp`
    '65e6430a-6cd4-47cf-8d8d-981b76469343': 1, // created off hours, then given a privileged role
  },
  win_offhours_privileged_account_creation: { '4f39bfe9-1b0e-470c-b165-69211cfb5937': 1 },
  file_rename_mass_by_process: { 'a0852692-8ce2-4bda-b0b2-f285a22acd92': 1 },
  file_rename_ransomware_extension: { '26ac7bc9-2842-43c9-be59-1014f5c3cf5d': 1 },
  file_event_ransom_note: { '59c192dd-851b-4125-8b63-a057287c1451': 2 },
  trading_gateway_order_reject_spike: { '8ef616ae-6496-46de-a3cb-d160dfe3e624': 1 },
  market_data_feed_stale: { '9d6867df-d020-4a6a-84db-e26bab361cc4': 1 },
  market_data_feed_heartbeats_missing: { '5471b979-4143-4d17-b50b-53c3ab2fb50c': 2 },
  network_flow_ddos_volume: { '93406d8a-51fd-402f-8457-4cd70e76c9ff': 1 },
  network_flow_ddos_many_sources: { '194d2446-7771-4d01-ba38-48855da1dddf': 1 },
  complaints_surge_login: { '46905fc0-3227-40e0-b6e9-8b51d9d41e78': 1 },
  complaints_surge_funds: { '1838ee74-f6ab-45dd-b461-5692165f34ec': 1 },
  complaints_surge_trading: { 'e459eda2-dea0-448e-a046-e8b1c465894d': 1 },
};

/**
 * Rules of other files that a file's positive events also make fire, by design: a successful login
 * after stuffing needs the stuffing first.
 */
const ALSO_FIRES: Record<string, Record<string, number>> = {
  trading_login_success_after_stuffing: { '95fa4895-874a-46cd-a448-2f770e76d64d': 1 },
};
/** The same for negative events: stuffing without a matching success is still stuffing. */
const NEGATIVE_ALSO_FIRES: Record<string, Record<string, number>> = {
  trading_login_success_after_stuffing: { '95fa4895-874a-46cd-a448-2f770e76d64d': 2 },
};

interface RuleDoc {
  file: string;
  stem: string;
  doc: Record<string, unknown>;
}

const ruleFiles = fs
  .readdirSync(RULES)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const stems = ruleFiles.map((f) => f.replace(/\.ya?ml$/, ''));
const docs: RuleDoc[] = ruleFiles.flatMap((file) =>
  YAML.parseAllDocuments(fs.readFileSync(path.join(RULES, file), 'utf8')).map((d) => ({
    file,
    stem: file.replace(/\.ya?ml$/, ''),
    doc: d.toJS() as Record<string, unknown>,
  })),
);

const correlationOf = (d: RuleDoc) => d.doc.correlation as { rules: string[]; generate?: boolean } | undefined;
/** Rule ids and names some correlation uses without asking for them to be reported too. */
const usedQuietly = new Set(
  docs.flatMap((d) => (correlationOf(d) && !correlationOf(d)!.generate ? correlationOf(d)!.rules : [])),
);
/** The rules a file reports: those no correlation uses quietly. */
const reportedIds = (stem: string) =>
  docs
    .filter((d) => d.stem === stem && !usedQuietly.has(d.doc.id as string) && !usedQuietly.has(d.doc.name as string))
    .map((d) => d.doc.id as string);

function engine(): SigmaEngine {
  const { sources, errors } = readRuleSources([RULES]);
  expect(errors).toEqual([]);
  return createSigmaEngine({ rules: sources, mapping: MAPPING });
}

async function eventsOf(file: string): Promise<DetectionEvent[]> {
  const out: DetectionEvent[] = [];
  const name = path.relative(TESTS, file);
  for await (const v of readEventFile(file)) {
    if ('error' in v) throw new Error(`${name}:${v.line}: ${v.error}`);
    const e = toDetectionEvent(v.value, `${name}:${v.line}`, 'file');
    if (!e) throw new Error(`${name}:${v.line}: not an event object`);
    out.push(e);
  }
  return out;
}

/** Matches per rule id after running the events (and the end of input) through a fresh engine. */
async function run(
  stem: string,
  kind: 'positive' | 'negative',
): Promise<{ counts: Record<string, number>; matches: RuleMatch[]; events: number }> {
  const events = await eventsOf(path.join(TESTS, stem, `${kind}.ndjson`));
  const e = engine();
  const matches = [...e.process(events), ...e.flush()];
  const counts: Record<string, number> = {};
  for (const m of matches) counts[m.ruleId] = (counts[m.ruleId] ?? 0) + 1;
  return { counts, matches, events: events.length };
}

describe('our own rules (rules/tocsin)', () => {
  it('every file compiles without errors', () => {
    const e = engine();
    expect(e.report.errors).toEqual([]);
    expect(ruleFiles.length).toBeGreaterThanOrEqual(10);
    expect(e.report.rules + e.report.correlations + e.report.filters).toBe(docs.length);
    // Each file also compiles on its own: no rule depends on another file.
    for (const file of ruleFiles) {
      const one = createSigmaEngine({
        rules: [{ file, text: fs.readFileSync(path.join(RULES, file)) }],
        mapping: MAPPING,
      });
      expect(one.report.errors, file).toEqual([]);
    }
  });

  it('every rule has an English title, a zh-CN title first in its description, a unique UUID, a level and tags', () => {
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const { file, doc } of docs) {
      const where = `${file}: ${String(doc.title)}`;
      expect(doc.title, where).toMatch(/^[A-Z][\x20-\x7e]{9,255}$/);
      expect(doc.id, where).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(ids.has(doc.id as string), `${where}: duplicate id`).toBe(false);
      ids.add(doc.id as string);
      if (doc.name !== undefined) {
        expect(doc.name, where).toMatch(/^tocsin_[a-z0-9_]+$/);
        expect(names.has(doc.name as string), `${where}: duplicate name`).toBe(false);
        names.add(doc.name as string);
      }
      const [zh, rest] = String(doc.description).split(' — ');
      expect(zh, `${where}: description starts with the zh-CN title`).toMatch(/^[^\n]{0,8}\p{Script=Han}[^\n]{0,60}$/u);
      expect(rest?.length ?? 0, `${where}: description goes on after the zh-CN title`).toBeGreaterThan(20);
      expect(LEVELS, where).toContain(doc.level);
      const tags = doc.tags as string[];
      expect(
        tags.some((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t)),
        `${where}: an ATT&CK technique tag`,
      ).toBe(true);
      const category = tags.map((t) => /^tocsin\.category\.([a-z_]+)$/.exec(t)?.[1]).filter(Boolean);
      expect(category, `${where}: one tocsin.category tag`).toHaveLength(1);
      expect(CATEGORIES, where).toContain(category[0]);
      expect(Array.isArray(doc.falsepositives) && doc.falsepositives.length > 0, `${where}: falsepositives`).toBe(true);
      if (doc.logsource) {
        // Log sources are documented with the fields they carry.
        const ls = doc.logsource as Record<string, string>;
        const key = ls.service ?? ls.category;
        expect(README, `${where}: README documents ${key}`).toContain(`\`${key}\``);
      }
    }
  });

  it('every file has positive and negative test events and expectations for the rules it reports', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...stems].sort());
    for (const stem of stems) {
      expect(fs.existsSync(path.join(TESTS, stem, 'positive.ndjson')), `${stem}/positive.ndjson`).toBe(true);
      expect(fs.existsSync(path.join(TESTS, stem, 'negative.ndjson')), `${stem}/negative.ndjson`).toBe(true);
      expect(Object.keys(EXPECTED[stem]!).sort(), stem).toEqual(reportedIds(stem).sort());
    }
  });

  describe.each(stems)('%s', (stem) => {
    const own = () => Object.keys(EXPECTED[stem] ?? {});

    it('fires on its positive events', async () => {
      const { counts, matches } = await run(stem, 'positive');
      for (const id of own()) expect(counts[id] ?? 0, `${stem}: matches of ${id}`).toBe(EXPECTED[stem]![id]);
      // Nothing else fires, unless listed.
      const others = Object.fromEntries(Object.entries(counts).filter(([id]) => !own().includes(id)));
      expect(others, `${stem}: other rules firing`).toEqual(ALSO_FIRES[stem] ?? {});
      for (const m of matches) {
        expect(m.events.length, `${stem}: a match carries its events`).toBeGreaterThan(0);
        if (m.kind === 'correlation') expect(m.group, `${stem}: a correlation names its group`).toBeDefined();
      }
    });

    it('does not fire on its negative events', async () => {
      const { counts, events } = await run(stem, 'negative');
      expect(events).toBeGreaterThan(0);
      for (const id of own()) expect(counts[id] ?? 0, `${stem}: matches of ${id}`).toBe(0);
      expect(counts, `${stem}: rules firing on the negative events`).toEqual(NEGATIVE_ALSO_FIRES[stem] ?? {});
    });
  });
});
