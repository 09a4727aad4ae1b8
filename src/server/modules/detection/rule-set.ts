/** Loads the live rule set: bundled or configured rule folders and the log-source mapping. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSigmaEngine, parseMappingText, readRuleSources, type CompileError, type SigmaEngine } from './sigma/index.js';

/** A file or folder shipped with Tocsin (`rules/...`), found from the source or the dist layout. */
export function bundledPath(...parts: string[]): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = path.join(dir, ...parts);
    if (fs.existsSync(p)) return p;
    dir = path.dirname(dir);
  }
  return null;
}

export interface RuleSetReport {
  dirs: string[];
  compiled: number;
  errors: CompileError[];
}

/**
 * Compiles the configured rules (default: bundled rules/tocsin) with the mapping. Bad rules are
 * reported, not fatal. `clock` is the wall clock the engine's `tick` is measured against.
 */
export function loadRuleSet(opts: { ruleDirs: string[]; mappingFile?: string; latenessMs?: number; correlationMemoryBytes?: number; clock?: () => number }): { engine: SigmaEngine; report: RuleSetReport } {
  const dirs = opts.ruleDirs.length ? opts.ruleDirs : [bundledPath('rules', 'tocsin')].filter((d): d is string => d !== null);
  const { sources, errors } = readRuleSources(dirs);
  const mappingFile = opts.mappingFile ?? bundledPath('rules', 'mappings', 'windows-thor.yml');
  const mapping = mappingFile ? parseMappingText(fs.readFileSync(mappingFile, 'utf8')) : undefined;
  const engine = createSigmaEngine({
    rules: sources,
    mapping,
    latenessMs: opts.latenessMs,
    clock: opts.clock,
    ...(opts.correlationMemoryBytes ? { correlation: { maxStateBytes: opts.correlationMemoryBytes } } : {}),
  });
  return { engine, report: { dirs, compiled: engine.report.compiled, errors: [...errors, ...engine.report.errors] } };
}
