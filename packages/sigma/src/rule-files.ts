/** Finding and reading rule files: directories recursively (`.yml`, `.yaml`), or single files. */
import fs from 'node:fs';
import path from 'node:path';
import type { RuleSource } from './compile.js';
import type { CompileError } from './types.js';
import { DEFAULT_YAML_LIMITS } from './yaml-load.js';

/** Reads every rule file under `paths`; files too large are reported without being read. */
export function readRuleSources(
  paths: string[],
  maxFileBytes = DEFAULT_YAML_LIMITS.maxFileBytes,
): { sources: RuleSource[]; errors: CompileError[] } {
  const sources: RuleSource[] = [];
  const errors: CompileError[] = [];
  const visit = (p: string, explicit: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      errors.push({ file: p, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!name.startsWith('.')) visit(path.join(p, name), false);
      return;
    }
    if (!explicit && !/\.ya?ml$/i.test(p)) return;
    if (st.size > maxFileBytes) {
      errors.push({
        file: p,
        reason: `file is ${st.size} bytes, larger than the ${maxFileBytes}-byte limit for rule files`,
      });
      return;
    }
    try {
      sources.push({ file: p, text: fs.readFileSync(p) });
    } catch (e) {
      errors.push({ file: p, reason: `cannot read: ${(e as Error).message}` });
    }
  };
  for (const p of paths) visit(p, true);
  return { sources, errors };
}
