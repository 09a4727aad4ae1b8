/**
 * Scores an engine on a SigmaHQ-style regression_data tree: every folder with an `info.yml`
 * names its rule(s) (`rule_metadata[].id`) and tests (`regression_tests_info[]`, with
 * `match_count` where given); the test's events are the JSON files in the folder (evtx_dump
 * output; the `.evtx` named in `path` is looked for as `.json`). A test passes when the rule
 * matches exactly `match_count` events, or at least one when no count is given.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { SigmaMatch } from './event.js';
import type { SigmaEngine } from './engine.js';
import { readEventFile, toDetectionEvent } from './event-files.js';
import type { CompileError } from './types.js';

export interface RegressFailure {
  folder: string;
  rule_id?: string;
  reason: string;
  expected?: number;
  matched?: number;
}
export interface RegressResult {
  folders: number;
  passed: number;
  failed: number;
  failures: RegressFailure[];
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Folders under `root` that hold an info.yml, sorted. */
export function regressionFolders(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'info.yml')) out.push(d);
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(d, e.name));
  };
  walk(root);
  return out.sort();
}

/** Runs every folder's tests through `engine` (built from the rules to score). */
export async function runRegression(
  engine: SigmaEngine,
  root: string,
  compileErrors: CompileError[] = [],
): Promise<RegressResult> {
  const result: RegressResult = { folders: 0, passed: 0, failed: 0, failures: [] };
  const errorById = new Map(compileErrors.filter((e) => e.ruleId).map((e) => [e.ruleId!, e.reason]));
  for (const folder of regressionFolders(root)) {
    result.folders++;
    const rel = path.relative(root, folder) || '.';
    const fail = (f: Omit<RegressFailure, 'folder'>) => {
      result.failed++;
      result.failures.push({ folder: rel, ...f });
    };
    let info: unknown;
    try {
      info = YAML.parse(fs.readFileSync(path.join(folder, 'info.yml'), 'utf8'), { maxAliasCount: 50 });
    } catch (e) {
      fail({ reason: `info.yml: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const ruleIds =
      isMap(info) && Array.isArray(info.rule_metadata)
        ? info.rule_metadata.map((m) => (isMap(m) ? String(m.id ?? '') : '')).filter(Boolean)
        : [];
    const tests =
      isMap(info) && Array.isArray(info.regression_tests_info) ? info.regression_tests_info.filter(isMap) : [];
    if (ruleIds.length === 0 || tests.length === 0) {
      fail({ reason: 'info.yml names no rule (rule_metadata[].id) or no test (regression_tests_info)' });
      continue;
    }
    const jsonFiles = fs
      .readdirSync(folder)
      .filter((f) => f.toLowerCase().endsWith('.json'))
      .sort();
    let ok = true;
    for (const test of tests) {
      const named =
        typeof test.path === 'string' ? `${path.basename(test.path).replace(/\.[^.]+$/, '')}.json` : undefined;
      const files = named && jsonFiles.includes(named) ? [named] : jsonFiles;
      if (files.length === 0) {
        ok = false;
        fail({ rule_id: ruleIds[0], reason: 'no event file (.json) in the folder' });
        break;
      }
      const matches: SigmaMatch[] = [];
      let n = 0;
      for (const f of files) {
        for await (const v of readEventFile(path.join(folder, f))) {
          if ('error' in v) continue;
          const e = toDetectionEvent(v.value, `${rel}/${f}#${++n}`, 'regression');
          if (e) matches.push(...engine.process([e]));
        }
      }
      matches.push(...engine.flush());
      const expected = typeof test.match_count === 'number' ? test.match_count : undefined;
      for (const id of ruleIds) {
        const got = matches.filter((m) => m.ruleId === id).length;
        const pass = expected !== undefined ? got === expected : got > 0;
        if (!pass) {
          ok = false;
          const why = errorById.get(id);
          fail({
            rule_id: id,
            reason: why
              ? `rule did not compile: ${why}`
              : expected !== undefined
                ? `matched ${got} events, expected ${expected}`
                : 'no match',
            expected,
            matched: got,
          });
        }
      }
      if (!ok) break;
    }
    if (ok) result.passed++;
  }
  return result;
}
