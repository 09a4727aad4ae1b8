/**
 * The live engine's builder: the catalogue (rule folders plus uploads) and the enabled/disabled state
 * it is built from, the build itself (on the event loop, or only the spec when the worker thread
 * compiles), the compile report, and the waiters for a rebuild or the worker's report.
 */
import type { Clock } from '../../platform/ids.js';
import type { DetectionEngine } from './detection.types.js';
import type { DetectionPipeline } from './pipeline.js';
import { buildCatalog, planRuleSet, readCatalogFile, type Catalog, type CatalogFile } from './rule-catalog.js';
import { correlationTimespans, correlatorSignature } from './cluster/stage-two-rules.js';
import type { BodyCorrelator } from './cluster/stage-two-partition.js';
import {
  compileCorrelator,
  compilePlan,
  loadMapping,
  planSpec,
  readFolderCatalog,
  specOnlyEngine,
  type RuleSetReport,
} from './rule-set.js';
import type { RuleStateRow, RuleUploadRow } from './rule.repository.js';
import type { CompileError, Correlator, LogsourceMapping } from '@tocsin/sigma';

export interface RuleEngineConfig {
  ruleDirs: string[];
  mappingFile?: string;
  latenessMs?: number;
  correlationMemoryBytes?: number;
}

export interface RuleEngineBuilderOptions {
  /** Delay before rebuilding the engine after a change, so a burst of changes builds once (default 20 ms). */
  rebuildDelayMs?: number;
  /**
   * The pipeline compiles on its worker thread: build only the spec here and take the compile report
   * from `acceptReport` (so a rule set of thousands costs the event loop nothing).
   */
  remoteCompile?: boolean;
}

/** The compile report of the engine last built. */
export interface BuiltRuleSet {
  at: number;
  compiled: number;
  errors: CompileError[];
  /** First compile error per rule id. */
  byRule: Map<string, string>;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function createRuleEngineBuilder(
  deps: {
    clock: Clock;
    pipeline: DetectionPipeline;
    config: RuleEngineConfig;
    /** Told about each build's compile report (the server logs it). */
    onRuleSet?: (report: RuleSetReport) => void;
    onError: (err: unknown, where: string) => void;
  },
  options: RuleEngineBuilderOptions = {},
) {
  const { clock, pipeline } = deps;
  let folders: ReturnType<typeof readFolderCatalog> | null = null;
  let mapping: { value: LogsourceMapping | undefined } | null = null;
  const uploads = new Map<string, RuleUploadRow>();
  const states = new Map<string, RuleStateRow>();
  let catalog: Catalog | null = null;
  let built: BuiltRuleSet | null = null;
  let rebuildTimer: NodeJS.Timeout | null = null;
  let waiters: (() => void)[] = [];
  /** Told after each rebuild for a stored change (stage two restarts its partitions with the new rules). */
  const rebuilt: (() => void)[] = [];

  /** Parsed uploads, by rule id (parsing thousands of rules again on every change would take seconds). */
  const parsedUploads = new Map<string, CatalogFile>();
  const uploadFile = (row: RuleUploadRow): CatalogFile => {
    let f = parsedUploads.get(row.rule_id);
    if (!f) {
      f = readCatalogFile(row.file_name, row.yaml, 'uploaded', () => `1|${pad(row.uploaded_at, 15)}|${row.rule_id}`);
      parsedUploads.set(row.rule_id, f);
    }
    return f;
  };

  function getCatalog(): Catalog {
    if (catalog) return catalog;
    folders ??= readFolderCatalog(deps.config.ruleDirs);
    catalog = buildCatalog([...folders.files, ...[...uploads.values()].map(uploadFile)]);
    return catalog;
  }

  const isEnabled = (id: string) => (states.get(id)?.enabled ?? 1) === 1;
  const disabledIds = () => new Set([...states.values()].filter((s) => s.enabled === 0).map((s) => s.rule_id));

  /** Waiting for the worker's compile report (remote compile), resolved by acceptReport. */
  const reportWaiters: (() => void)[] = [];
  let reportPending = false;

  function setBuilt(compiled: number, engineErrors: CompileError[]): void {
    const errors = [...folders!.errors, ...engineErrors];
    const byRule = new Map<string, string>();
    for (const e of errors) if (e.ruleId && !byRule.has(e.ruleId)) byRule.set(e.ruleId, e.reason);
    built = { at: clock.now(), compiled, errors, byRule };
    deps.onRuleSet?.({ dirs: folders!.dirs, compiled, errors });
  }

  /**
   * Compiles the current catalogue and state into an engine (synchronous: seconds for thousands of
   * rules) — or, with remoteCompile, only its spec, which the worker compiles (report via acceptReport).
   */
  function buildEngine(): DetectionEngine {
    const cat = getCatalog();
    const plan = planRuleSet(cat, disabledIds());
    const live = {
      latenessMs: deps.config.latenessMs,
      correlationMemoryBytes: deps.config.correlationMemoryBytes,
      clock: () => clock.now(),
    };
    if (options.remoteCompile) {
      reportPending = true;
      return specOnlyEngine(planSpec(plan, live, deps.config.mappingFile));
    }
    mapping ??= { value: loadMapping(deps.config.mappingFile) };
    const engine = compilePlan(plan, mapping.value, live, { file: deps.config.mappingFile });
    setBuilt(engine.report.compiled, engine.report.errors);
    return engine;
  }

  /**
   * Stage two (at-scale mode): correlators with the current rule set, one per owned partition, each
   * with its share of the correlation memory; and the correlations' timespans (retention check).
   */
  function correlators(partitions: number): {
    create: () => Correlator | BodyCorrelator;
    timespans: { ruleId: string; ms: number }[];
    /** Equal when the correlators would be equal (a change to other rules leaves it). */
    signature: string;
  } {
    const cat = getCatalog();
    const plan = planRuleSet(cat, disabledIds());
    mapping ??= { value: loadMapping(deps.config.mappingFile) };
    const m = mapping.value;
    const memory = deps.config.correlationMemoryBytes;
    const live = {
      latenessMs: deps.config.latenessMs,
      correlationMemoryBytes: memory ? Math.max(1024 * 1024, Math.floor(memory / partitions)) : undefined,
      clock: () => clock.now(),
    };
    const { openCorrelator } = deps.pipeline;
    return {
      // On the engine thread when there is one (it compiles the same plan from the spec it was sent).
      create: openCorrelator
        ? () => openCorrelator({ latenessMs: live.latenessMs, memoryBytes: live.correlationMemoryBytes })
        : () => compileCorrelator(plan, m, live),
      timespans: correlationTimespans(plan.included),
      signature: correlatorSignature(plan, cat.byRef, [
        deps.config.mappingFile ?? null,
        live.latenessMs ?? null,
        live.correlationMemoryBytes ?? null,
      ]),
    };
  }

  /** The worker's compile report of the latest spec (remote compile). */
  function acceptReport(report: { compiled: number; errors: CompileError[] }): void {
    setBuilt(report.compiled, report.errors);
    reportPending = false;
    for (const w of reportWaiters.splice(0)) w();
  }

  const reportReady = (): Promise<void> =>
    reportPending ? new Promise((resolve) => reportWaiters.push(resolve)) : Promise.resolve();

  function rebuild(): void {
    rebuildTimer = null;
    try {
      pipeline.replaceEngine(buildEngine());
    } catch (err) {
      deps.onError(err, 'rebuild');
    }
    for (const fn of rebuilt) {
      try {
        fn();
      } catch (err) {
        deps.onError(err, 'rebuild');
      }
    }
    const done = waiters;
    waiters = [];
    for (const w of done) w();
  }

  /** After a stored change: rebuild once the current request is answered (changes in a burst build once). */
  function scheduleRebuild(): void {
    rebuildTimer ??= setTimeout(rebuild, options.rebuildDelayMs ?? 20);
  }

  return {
    buildEngine,
    correlators,
    onRebuilt: (fn: () => void): void => void rebuilt.push(fn),
    acceptReport,

    /** Starts afresh from the stored uploads and states (the catalogue is read again when next asked for). */
    load(ups: RuleUploadRow[], sts: RuleStateRow[]): void {
      uploads.clear();
      for (const u of ups) uploads.set(u.rule_id, u);
      parsedUploads.clear();
      states.clear();
      for (const s of sts) states.set(s.rule_id, s);
      catalog = null;
    },

    /**
     * Another process changed rules: take the stored uploads and states as they are now, and rebuild
     * shortly if anything differs (an unchanged set keeps the live engine and its correlation state).
     */
    refresh(ups: RuleUploadRow[], sts: RuleStateRow[]): boolean {
      const upsNow = new Map(ups.map((u) => [u.rule_id, u]));
      const stsNow = new Map(sts.map((st) => [st.rule_id, st]));
      const sameUpload = (a: RuleUploadRow | undefined, b: RuleUploadRow) =>
        !!a && a.uploaded_at === b.uploaded_at && a.yaml === b.yaml && a.file_name === b.file_name;
      const uploadsChanged =
        upsNow.size !== uploads.size || [...upsNow.values()].some((u) => !sameUpload(uploads.get(u.rule_id), u));
      const statesChanged =
        stsNow.size !== states.size ||
        [...stsNow.values()].some((st) => states.get(st.rule_id)?.enabled !== st.enabled);
      if (!uploadsChanged && !statesChanged) return false;
      if (uploadsChanged) {
        for (const [id, u] of uploads) if (!sameUpload(upsNow.get(id), u)) parsedUploads.delete(id);
        uploads.clear();
        for (const [id, u] of upsNow) uploads.set(id, u);
        catalog = null;
      }
      states.clear();
      for (const [id, st] of stsNow) states.set(id, st);
      scheduleRebuild();
      return true;
    },

    catalog: getCatalog,
    isEnabled,
    upload: (id: string): RuleUploadRow | undefined => uploads.get(id),
    state: (id: string): RuleStateRow | undefined => states.get(id),
    /** The first compile error of a rule in the engine last built, if any. */
    errorOf: (id: string): string | null => built?.byRule.get(id) ?? null,

    /** A stored enable or disable: the engine is rebuilt shortly. */
    setState(row: RuleStateRow): void {
      states.set(row.rule_id, row);
      scheduleRebuild();
    },

    /** Stored uploads: the catalogue takes them in and the engine is rebuilt shortly. */
    addUploads(rows: RuleUploadRow[]): void {
      for (const r of rows) uploads.set(r.rule_id, r);
      catalog = null;
      scheduleRebuild();
    },

    /** A deleted upload (its state went with it): out of the catalogue, and the engine is rebuilt shortly. */
    removeUpload(id: string): void {
      uploads.delete(id);
      parsedUploads.delete(id);
      states.delete(id);
      catalog = null;
      scheduleRebuild();
    },

    /** The engine's compile report is needed to answer: build it now if nothing has yet (and wait for the worker's). */
    async ensureBuilt(): Promise<BuiltRuleSet> {
      if (!built && !reportPending) pipeline.warm();
      if (!built && !reportPending) pipeline.replaceEngine(buildEngine()); // the pipeline had an engine from elsewhere
      await reportReady();
      return built!;
    },

    /** A change is stored but not yet in the live engine (a rebuild or the worker's report is awaited). */
    pending: (): boolean => rebuildTimer !== null || reportPending,

    /** Resolves once every stored change is in the live engine. */
    async settled(): Promise<void> {
      if (rebuildTimer) await new Promise<void>((resolve) => waiters.push(resolve));
      await reportReady();
    },

    /** Drops a scheduled rebuild (releasing whoever waits for it). */
    close(): void {
      if (rebuildTimer) {
        clearTimeout(rebuildTimer);
        rebuildTimer = null;
        for (const w of waiters.splice(0)) w();
      }
    },
  };
}
