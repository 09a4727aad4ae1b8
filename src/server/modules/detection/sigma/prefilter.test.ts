/**
 * The prefilter never changes what matches: every SigmaHQ rule, with and without it, on the
 * regression events and on generated Sysmon process-creation events (bench:detect's generator:
 * ordinary programs plus regression events that match). Skipped where ../shared/sigma is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { regressionProcessCreation, sysmonEvents } from '../../../../../bench/detect-data.js';
import type { DetectionEvent, RuleMatch } from '../detection.types.js';
import { createSigmaEngine } from './engine.js';
import { readJsonValues, toDetectionEvent } from './event-files.js';
import { parseMappingText } from './mapping.js';
import { readRuleSources } from './rule-files.js';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const SIGMA = process.env.TOCSIN_SIGMA_DIR ?? path.resolve(ROOT, '../shared/sigma');
const present = fs.existsSync(path.join(SIGMA, 'rules')) && fs.existsSync(path.join(SIGMA, 'regression_data'));

const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json') ? [path.join(d, e.name)] : []));
const key = (m: RuleMatch) => `${m.ruleId} ${m.kind} ${m.events.map((e) => e.id).join(',')}`;

describe.skipIf(!present)('the prefilter', () => {
  it('picks every rule that matches (SigmaHQ rules, regression and generated events)', async () => {
    const dirs = fs.readdirSync(SIGMA).filter((d) => d.startsWith('rules')).map((d) => path.join(SIGMA, d));
    const { sources } = readRuleSources(dirs);
    const mapping = parseMappingText(fs.readFileSync(path.join(ROOT, 'rules/mappings/windows-thor.yml'), 'utf8'));
    const fast = createSigmaEngine({ rules: sources, mapping });
    const slow = createSigmaEngine({ rules: sources, mapping, prefilter: false });
    const events: DetectionEvent[] = [];
    const raw: unknown[] = [];
    for (const f of walk(path.join(SIGMA, 'regression_data')).sort()) {
      for await (const v of readJsonValues([fs.readFileSync(f, 'utf8')])) if ('value' in v) raw.push(v.value);
    }
    const regression = await regressionProcessCreation(path.join(SIGMA, 'regression_data/rules/windows/process_creation'));
    const set = sysmonEvents({ n: 3000, seed: 7, matching: regression, plantedPct: 10 });
    for (let i = 0; i < set.starts.length; i++) raw.push(JSON.parse(set.buf.subarray(set.starts[i]!, set.ends[i]! + 1).toString('utf8')));
    raw.forEach((v, i) => {
      const e = toDetectionEvent(v, `e${i}`, 'file');
      if (e) events.push(e);
    });
    const a = fast.process(events).map(key);
    const b = slow.process(events).map(key);
    expect(b.length).toBeGreaterThan(300);
    expect(a).toEqual(b);
  }, 120_000);
});
