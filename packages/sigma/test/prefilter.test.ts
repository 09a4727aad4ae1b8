/**
 * The prefilter never changes what matches: every SigmaHQ rule, with and without it, on the
 * regression events and on generated Sysmon process-creation events (the benchmark's generator:
 * ordinary programs plus regression events that match). That part needs the SigmaHQ repository
 * (TOCSIN_SIGMA_DIR, default ../shared/sigma): skipped with a message where it is absent, required in CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { regressionProcessCreation, sysmonEvents } from '../bench/sysmon-events.js';
import type { DetectionEvent, SigmaMatch as RuleMatch } from '../src/event.js';
import { createSigmaEngine } from '../src/engine.js';
import { FieldIndex } from '../src/field-index.js';
import { sortSlots } from '../src/route.js';
import { readJsonValues, toDetectionEvent } from '../src/event-files.js';
import { parseMappingText } from '../src/mapping.js';
import { readRuleSources } from '../src/rule-files.js';
import { sigmahqCorpus } from './sigmahq-corpus.js';

const corpus = sigmahqCorpus('the prefilter test on the SigmaHQ rules', ['rules', 'regression_data', 'tests/thor.yml']);
const SIGMA = corpus.dir;

const walk = (d: string): string[] =>
  fs
    .readdirSync(d, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json') ? [path.join(d, e.name)] : [],
    );
const key = (m: RuleMatch) => `${m.ruleId} ${m.kind} ${m.events.map((e) => e.id).join(',')}`;

describe.skipIf(!corpus.runs)('the prefilter', () => {
  beforeAll(() => corpus.require());
  it('picks every rule that matches (SigmaHQ rules, regression and generated events)', async () => {
    const dirs = fs
      .readdirSync(SIGMA)
      .filter((d) => d.startsWith('rules'))
      .map((d) => path.join(SIGMA, d));
    const { sources } = readRuleSources(dirs);
    const mapping = parseMappingText(fs.readFileSync(path.join(SIGMA, 'tests/thor.yml'), 'utf8'));
    const fast = createSigmaEngine({ rules: sources, mapping });
    const slow = createSigmaEngine({ rules: sources, mapping, prefilter: false });
    const events: DetectionEvent[] = [];
    const raw: unknown[] = [];
    for (const f of walk(path.join(SIGMA, 'regression_data')).sort()) {
      for await (const v of readJsonValues([fs.readFileSync(f, 'utf8')])) if ('value' in v) raw.push(v.value);
    }
    const regression = await regressionProcessCreation(
      path.join(SIGMA, 'regression_data/rules/windows/process_creation'),
    );
    const set = sysmonEvents({ n: 3000, seed: 7, matching: regression, plantedPct: 10 });
    for (let i = 0; i < set.starts.length; i++)
      raw.push(JSON.parse(set.buf.subarray(set.starts[i]!, set.ends[i]! + 1).toString('utf8')));
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

describe('a field index', () => {
  it('finds non-ASCII literals beyond those with classes of their own, and only where they are', () => {
    const ix = new FieldIndex();
    const emoji = Array.from({ length: 60 }, (_, i) => String.fromCodePoint(0x1f600 + i));
    const symbols = Array.from({ length: 60 }, (_, i) => String.fromCharCode(0x2600 + i));
    for (const [slot, lit] of [...emoji, ...symbols].entries()) ix.add(lit, 'contains', slot);
    ix.add('\\hexin.exe', 'suffix', 500);
    ix.add('同花顺', 'contains', 501);
    ix.seal();
    const found = (text: string) => {
      const out: number[] = [];
      ix.lookup(text, (slots) => out.push(...slots));
      return out.sort((a, b) => a - b);
    };
    expect(found('c:\\同花顺软件\\hexin.exe')).toEqual([500, 501]);
    expect(found('报告 季度 软件 资金')).toEqual([]);
    expect(found(`x ${emoji[41]} y ${symbols[59]}`)).toEqual([41, 119]);
  });
});

describe('a field index reading values as they are', () => {
  it('finds what it finds in the lower-cased value (upper case, İ, Σ, astral characters), remembered or not', () => {
    const alphabet = [
      'A',
      'a',
      'B',
      'b',
      '\\',
      '.',
      'İ',
      'i\u0307',
      'Σ',
      'σ',
      'ς',
      '😀',
      '𐐀',
      '𐐨',
      'Ж',
      'ж',
      'K',
      '\u212a',
    ];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const word = (n: number) => Array.from({ length: n }, () => alphabet[rnd(alphabet.length)]).join('');
    const ix = new FieldIndex();
    const kinds = ['contains', 'prefix', 'suffix', 'exact'] as const;
    const lits: string[] = [];
    for (let slot = 0; slot < 400; slot++) {
      const lit = word(1 + rnd(3)).toLowerCase();
      lits.push(lit);
      ix.add(lit, kinds[slot % 4]!, slot);
    }
    ix.seal();
    const found = (text: string) => {
      const out = new Set<number>();
      ix.lookup(text, (slots) => {
        for (const x of slots) out.add(x);
      });
      return [...out].sort((a, b) => a - b);
    };
    const misses: { value: string; missed: number[] }[] = [];
    const differs: string[] = [];
    // Enough distinct values to fill the index's memo of recent values (and see it give up).
    for (let k = 0; k < 12_000; k++) {
      const v = word(1 + rnd(8));
      const low = v.toLowerCase();
      const want = lits.flatMap((lit, slot) => {
        const kind = kinds[slot % 4]!;
        const ok =
          kind === 'contains'
            ? low.includes(lit)
            : kind === 'prefix'
              ? low.startsWith(lit)
              : kind === 'suffix'
                ? low.endsWith(lit)
                : low === lit;
        return ok ? [slot] : [];
      });
      // The index may over-report (never miss); it reports the same for the value and its lower case.
      const got = found(v);
      const missed = want.filter((slot) => !got.includes(slot));
      if (missed.length) misses.push({ value: v, missed });
      if (got.join() !== found(low).join()) differs.push(v);
    }
    // Collected and asserted once: a million expect() calls took most of the test's time.
    expect(misses).toEqual([]);
    expect(differs).toEqual([]);
  }, 90_000);
});

describe('candidate slots', () => {
  it('come out in rule order whatever their number (insertion sort up to 32, the array sort beyond)', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % 1000;
    };
    for (const n of [0, 1, 2, 5, 31, 32, 33, 200]) {
      const slots = Array.from({ length: n }, next);
      const sorted = [...slots].sort((a, b) => a - b);
      sortSlots(slots);
      expect(slots).toEqual(sorted);
    }
  });
});
