/** The rule catalogue and the compile plan: metadata read from YAML, disabled rules left out or muted. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from './detection.types.js';
import { buildCatalog, planRuleSet, readCatalogFile, zhTitleOf } from './rule-catalog.js';
import { compilePlan } from './rule-set.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (file: string, text: string, i = 0) => readCatalogFile(file, text, 'file', (d) => `0|${i}|${d}`);
const rule = (id: string, extra = '', match = id) =>
  `title: Rule ${id}\nid: ${id}\nlogsource: {product: t}\ndetection: {sel: {msg|contains: ${match}}, condition: sel}\nlevel: low\n${extra}`;
let n = 0;
const ev = (msg: string): DetectionEvent => ({
  id: `e${++n}`,
  time: 1_700_000_000_000 + n * 1000,
  source: 'test',
  logsource: { product: 't' },
  fields: { msg },
});

describe('rule catalogue', () => {
  it('reads the Chinese title from the description, when there is one', () => {
    expect(zhTitleOf('网上交易撞库攻击（同一来源尝试大量账户） — failed trading logins …')).toBe(
      '网上交易撞库攻击（同一来源尝试大量账户）',
    );
    expect(zhTitleOf('Failed logins — in English only')).toBeNull();
    expect(zhTitleOf('没有破折号的描述')).toBeNull();
    expect(zhTitleOf(null)).toBeNull();
  });

  it('lists every document of a file with its own YAML, kind, references and whether it is reported', () => {
    const file = read(
      'rules/tocsin/crm_bulk_export.yml',
      fs.readFileSync(path.join(ROOT, 'rules/tocsin/crm_bulk_export.yml'), 'utf8'),
    );
    expect(file.parseable).toBe(true);
    const cat = buildCatalog([file]);
    expect(cat.rules.map((r) => [r.kind, r.level, r.name])).toEqual([
      ['correlation', 'high', null],
      ['detection', 'informational', 'tocsin_crm_customer_export'],
      ['detection', 'informational', 'tocsin_customer_db_export'],
    ]);
    const [corr, crm] = cat.rules;
    expect(corr!.refs).toEqual(['tocsin_crm_customer_export', 'tocsin_customer_db_export']);
    expect(corr!.titleZh).toMatch(/^客户信息批量导出/);
    expect(crm!.yaml).toMatch(/^title: Customer Records Exported From the CRM/);
    expect(crm!.yaml).not.toContain('---');
    expect(crm!.logsource).toEqual({ product: 'tocsin', service: 'crm' });
    expect([...cat.reported].map((r) => r.id)).toEqual([corr!.id]);
    expect(cat.usedBy.get(crm!)).toEqual([corr]);
  });

  it('leaves disabled rules out of the engine, keeping only the documents still needed', () => {
    const file = read('two.yml', [rule('a'), rule('b')].join('---\n'));
    const cat = buildCatalog([file]);
    const all = planRuleSet(cat, new Set());
    expect(all.sources).toEqual([{ file: 'two.yml', text: file.text }]);
    const plan = planRuleSet(cat, new Set(['a']));
    expect(plan.sources).toHaveLength(1);
    expect(plan.sources[0]!.text).not.toContain('id: a');
    const engine = compilePlan(plan, undefined);
    expect(engine.report.errors).toEqual([]);
    expect(engine.process([ev('a'), ev('b')]).map((m) => m.ruleId)).toEqual(['b']);
    expect(planRuleSet(cat, new Set(['a', 'b'])).sources).toEqual([]);
  });

  it('keeps a disabled rule that an enabled correlation uses, muted; a disabled correlation takes its feeders out', () => {
    const corr = (generate: boolean) =>
      `title: Twice\nid: c\ncorrelation: {type: event_count, rules: [feeder], timespan: 1h, condition: {gte: 2}, generate: ${generate}}\nlevel: high\n`;
    for (const generate of [false, true]) {
      const cat = buildCatalog([read('corr.yml', [corr(generate), rule('f', 'name: feeder\n', 'hit')].join('---\n'))]);
      const plan = planRuleSet(cat, new Set(['f']));
      expect([...plan.included].map((r) => r.id).sort()).toEqual(['c', 'f']);
      expect(plan.muted).toEqual(new Set(['f']));
      const engine = compilePlan(plan, undefined);
      expect(engine.process([ev('hit'), ev('hit')]).map((m) => m.ruleId)).toEqual(['c']);
      // The correlation off: a feeder it reported (generate) alerts alone; one it used quietly is not even compiled.
      const off = planRuleSet(cat, new Set(['c']));
      if (generate)
        expect(
          compilePlan(off, undefined)
            .process([ev('hit')])
            .map((m) => m.ruleId),
        ).toEqual(['f']);
      else expect(off.sources).toEqual([]);
    }
  });

  it('sends documents it cannot read to the engine, which says why', () => {
    const broken = read('broken.yml', `${rule('ok')}---\ntitle: [unclosed\n`);
    expect(broken.parseable).toBe(false);
    const noTitle = read(
      'untitled.yml',
      `${rule('fine')}---\nid: x\nlogsource: {product: t}\ndetection: {s: {a: 1}, condition: s}\n`,
      1,
    );
    expect(noTitle.docs.map((d) => d.rule?.id ?? null)).toEqual(['fine', null]);
    const plan = planRuleSet(buildCatalog([broken, noTitle]), new Set(['fine']));
    const engine = compilePlan(plan, undefined);
    expect(engine.report.errors.map((e) => [e.file, e.reason])).toEqual([
      ['broken.yml', expect.stringMatching(/^document 2: YAML/)],
      ['untitled.yml', 'rule has no title'],
    ]);
  });
});
