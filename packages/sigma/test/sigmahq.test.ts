/**
 * The whole SigmaHQ rule set (TOCSIN_SIGMA_DIR, default ../shared/sigma): how many rules compile, and
 * the score on its regression data. Skipped, with a message, where that folder is absent; in CI it
 * must be there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSigmaEngine, type SigmaEngine } from '../src/engine.js';
import { parseMappingText } from '../src/mapping.js';
import { runRegression } from '../src/regress.js';
import { readRuleSources } from '../src/rule-files.js';
import type { CompileError } from '../src/types.js';
import { sigmahqCorpus } from './sigmahq-corpus.js';

const corpus = sigmahqCorpus('the SigmaHQ rule-set tests', ['rules', 'regression_data', 'tests/thor.yml']);
const SIGMA = corpus.dir;

describe.skipIf(!corpus.runs)('the SigmaHQ rule set', () => {
  beforeAll(() => corpus.require());
  let engine: SigmaEngine;
  let errors: CompileError[];
  let files = 0;

  it('compiles almost every rule, and says why the others do not', () => {
    const dirs = fs
      .readdirSync(SIGMA)
      .filter((d) => d.startsWith('rules'))
      .map((d) => path.join(SIGMA, d));
    const read = readRuleSources(dirs);
    files = read.sources.length;
    const mapping = parseMappingText(fs.readFileSync(path.join(SIGMA, 'tests/thor.yml'), 'utf8'));
    engine = createSigmaEngine({ rules: read.sources, mapping });
    errors = [...read.errors, ...engine.report.errors];
    const rate = engine.report.compiled / (engine.report.compiled + errors.length);
    console.log(
      `SigmaHQ: ${engine.report.compiled} of ${files} rule files compiled (${(rate * 100).toFixed(2)}%); not compiled: ${errors.length}`,
    );
    for (const e of errors) console.log(`  ${path.relative(SIGMA, e.file)}: ${e.reason.slice(0, 160)}`);
    expect(files).toBeGreaterThan(3000);
    expect(rate).toBeGreaterThan(0.995);
    for (const e of errors) expect(e.reason.length).toBeGreaterThan(10);
  });

  it('passes the regression data', async () => {
    const data = path.join(SIGMA, 'regression_data');
    const r = await runRegression(engine, data, errors);
    console.log(`SigmaHQ regression: ${JSON.stringify({ folders: r.folders, passed: r.passed, failed: r.failed })}`);
    for (const f of r.failures) console.log(`  ${JSON.stringify(f)}`);
    expect(r.folders).toBeGreaterThan(100);
    expect(r.passed / r.folders).toBeGreaterThan(0.95);
  });
});
