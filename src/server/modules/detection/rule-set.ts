/** Loads the live rule set: bundled or configured rule folders and the log-source mapping; builds engines from a plan. */
import { bundledPath } from '../../platform/bundled.js';
import fs from 'node:fs';
import path from 'node:path';
import type { RuleMatch } from './detection.types.js';
import type { DetectionEngine } from './detection.types.js';
import { readCatalogFile, type CatalogFile, type RuleSetPlan } from './rule-catalog.js';
import {
  createCorrelator,
  createSigmaEngine,
  parseMappingText,
  readRuleSources,
  type CompileError,
  type Correlator,
  type LogsourceMapping,
  type SigmaEngine,
} from '@tocsin/sigma';

export interface RuleSetReport {
  dirs: string[];
  compiled: number;
  errors: CompileError[];
}

/**
 * Compiles the configured rules (default: bundled rules/tocsin) with the mapping. Bad rules are
 * reported, not fatal. `clock` is the wall clock the engine's `tick` is measured against.
 */
/** What the live engine is built with besides its rules: correlation lateness and memory, the wall clock. */
export interface LiveEngineOptions {
  latenessMs?: number;
  correlationMemoryBytes?: number;
  clock?: () => number;
}

const engineOptions = (o: LiveEngineOptions) => ({
  latenessMs: o.latenessMs,
  clock: o.clock,
  ...(o.correlationMemoryBytes ? { correlation: { maxStateBytes: o.correlationMemoryBytes } } : {}),
});

/** A rule file's path as people see it: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The rule folders' files as catalogue files (read once, at start: the folders are read-only content). */
export function readFolderCatalog(ruleDirs: string[]): {
  dirs: string[];
  files: CatalogFile[];
  errors: CompileError[];
} {
  const dirs = ruleDirs.length ? ruleDirs : [bundledPath('rules', 'tocsin')].filter((d): d is string => d !== null);
  const { sources, errors } = readRuleSources(dirs);
  const files = sources.map((s, i) => {
    const raw = Buffer.isBuffer(s.text) ? s.text : undefined;
    return {
      ...readCatalogFile(displayPath(s.file), s.text.toString(), 'file', (d) => `0|${pad(i, 6)}|${pad(d, 4)}`),
      ...(raw ? { raw } : {}),
    };
  });
  return { dirs, files, errors: errors.map((e) => ({ ...e, file: displayPath(e.file) })) };
}

/** The log-source mapping: the configured file, else the bundled Windows one. */
export function loadMapping(mappingFile: string | undefined): LogsourceMapping | undefined {
  const file = mappingFile ?? bundledPath('rules', 'mappings', 'windows-thor.yml');
  return file ? parseMappingText(fs.readFileSync(file, 'utf8')) : undefined;
}

/**
 * The engine with matches of `muted` rule ids left out of whatever its methods return (process,
 * flush, the `matches` of evaluate's result — its correlation feeds stay —, and any later method that
 * returns matches), so a rule can feed correlations without alerting.
 */
export function muteMatches<E extends object>(engine: E, muted: ReadonlySet<string>): E {
  if (muted.size === 0) return engine;
  const keep = (r: unknown): unknown =>
    Array.isArray(r)
      ? r.filter((m) => !(m && typeof m === 'object' && muted.has((m as RuleMatch).ruleId)))
      : r instanceof Promise
        ? r.then(keep)
        : r && typeof r === 'object' && Array.isArray((r as { matches?: unknown }).matches)
          ? { ...r, matches: keep((r as { matches: unknown[] }).matches) }
          : r;
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(engine, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      let f = wrapped.get(prop);
      if (!f) {
        f = (...args: unknown[]) => keep((v as (...a: unknown[]) => unknown).apply(target, args));
        wrapped.set(prop, f);
      }
      return f;
    },
  });
}

/**
 * What an engine was built from, in a form that can be sent to a worker thread, which builds the same
 * engine for itself (`engine-worker.ts`). The mapping goes by file (undefined: the bundled one).
 */
export interface EngineSpec {
  sources: { file: string; text: string }[];
  muted: string[];
  mappingFile: string | undefined;
  latenessMs?: number;
  correlationMemoryBytes?: number;
}

const SPEC = Symbol('tocsin.engineSpec');

/** The spec an engine from `compilePlan` was built from, if it was given a mapping file to name. */
export const specOf = (engine: object): EngineSpec | undefined => (engine as { [SPEC]?: EngineSpec })[SPEC];

/**
 * Compiles a plan into the live engine (muted rules filtered out) and its compile report. With
 * `mappingFile` (the file `mapping` was read from, undefined for the bundled one), the engine carries
 * its spec (`specOf`), so a worker thread can build the same engine.
 */
export function compilePlan(
  plan: Pick<RuleSetPlan, 'sources' | 'muted'>,
  mapping: LogsourceMapping | undefined,
  live: LiveEngineOptions = {},
  mappingFile?: { file: string | undefined },
): SigmaEngine {
  const engine = muteMatches(createSigmaEngine({ rules: plan.sources, mapping, ...engineOptions(live) }), plan.muted);
  if (mappingFile) Object.defineProperty(engine, SPEC, { value: planSpec(plan, live, mappingFile.file) });
  return engine;
}

/**
 * Stage two's correlator for one partition of the at-scale mode: the same rule set and options as the
 * live engine (muted rules filtered out of what it fires).
 */
export function compileCorrelator(
  plan: Pick<RuleSetPlan, 'sources' | 'muted'>,
  mapping: LogsourceMapping | undefined,
  live: LiveEngineOptions = {},
): Correlator {
  return muteMatches(createCorrelator({ rules: plan.sources, mapping, ...engineOptions(live) }), plan.muted);
}

/** The spec of a plan: what a worker thread compiles. */
export function planSpec(
  plan: Pick<RuleSetPlan, 'sources' | 'muted'>,
  live: LiveEngineOptions,
  mappingFile: string | undefined,
): EngineSpec {
  return {
    sources: plan.sources.map((s) => ({ file: s.file, text: s.text.toString() })),
    muted: [...plan.muted],
    mappingFile,
    latenessMs: live.latenessMs,
    correlationMemoryBytes: live.correlationMemoryBytes,
  };
}

/**
 * An engine that only carries its spec, for a pipeline whose worker thread compiles it (nothing is
 * compiled on the event loop). Calling it is a programming error.
 */
export function specOnlyEngine(spec: EngineSpec): DetectionEngine {
  const engine: DetectionEngine = {
    process() {
      throw new Error('this engine runs on the detection worker thread');
    },
  };
  Object.defineProperty(engine, SPEC, { value: spec });
  return engine;
}
