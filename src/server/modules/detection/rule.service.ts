/**
 * Managed detection rules: the catalogue (rule folders plus uploads), enable/disable, upload, delete,
 * compile errors and hit counts. Each change is stored (with its audit entry) before the call returns;
 * the live engine is then rebuilt off the request and swapped into the pipeline.
 */
import type { Permission } from '../../../shared/permissions.js';
import type {
  RuleCompileError,
  RuleDetail,
  RuleListQuery,
  RuleRef,
  RuleSetStatus,
  RuleSummary,
  RuleUpload,
} from '../../../shared/rule-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import { conflict, denied, invalid, notFound } from '../../platform/errors.js';
import { iso, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, can, type Principal } from '../auth/index.js';
import type { DetectionEngine } from './detection.types.js';
import type { DetectionPipeline } from './pipeline.js';
import {
  buildCatalog,
  planRuleSet,
  readCatalogFile,
  referencedClosure,
  type Catalog,
  type CatalogFile,
  type CatalogRule,
} from './rule-catalog.js';
import { createHitCounter } from './rule-hits.js';
import {
  compilePlan,
  loadMapping,
  planSpec,
  readFolderCatalog,
  specOnlyEngine,
  type RuleSetReport,
} from './rule-set.js';
import {
  deleteUpload,
  findHits,
  findUploads,
  insertUploads,
  listHits,
  listStates,
  listUploads,
  upsertState,
  userNames,
  type RuleHitsRow,
  type RuleStateRow,
  type RuleUploadRow,
} from './rule.repository.js';
import { createSigmaEngine, type CompileError, type LogsourceMapping } from '@tocsin/sigma';

export interface RuleServiceOptions {
  /** How often counted matches are written to the store (default 2 s). */
  hitFlushMs?: number;
  /** Delay before rebuilding the engine after a change, so a burst of changes builds once (default 20 ms). */
  rebuildDelayMs?: number;
  /**
   * The pipeline compiles on its worker thread: build only the spec here and take the compile report
   * from `acceptReport` (so a rule set of thousands costs the event loop nothing).
   */
  remoteCompile?: boolean;
}

interface Built {
  at: number;
  compiled: number;
  errors: CompileError[];
  /** First compile error per rule id. */
  byRule: Map<string, string>;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function assertCan(p: Principal, permission: Permission): void {
  if (!can(p, permission)) throw denied(p.user.role, permission);
}

const encodeCursor = (sortKey: string) => Buffer.from(sortKey).toString('base64url');
function decodeCursor(c: string): string {
  const key = Buffer.from(c, 'base64url').toString();
  if (!/^[01]\|/.test(key) || key.length > 1000 || key.includes('\u0000'))
    throw invalid(
      'cursor is not one this server handed out',
      [{ path: 'cursor', message: 'invalid cursor', code: 'invalid_cursor' }],
      { code: 'cursor.invalid' },
    );
  return key;
}

export function createRuleService(
  deps: {
    store: Store;
    audit: AuditService;
    clock: Clock;
    pipeline: DetectionPipeline;
    config: { ruleDirs: string[]; mappingFile?: string; latenessMs?: number; correlationMemoryBytes?: number };
    /** Told about each build's compile report (the server logs it). */
    onRuleSet?: (report: RuleSetReport) => void;
    onError?: (err: unknown, where: string) => void;
  },
  options: RuleServiceOptions = {},
) {
  const { store, audit, clock, pipeline } = deps;
  const onError =
    deps.onError ??
    ((err: unknown, where: string) =>
      process.stderr.write(`tocsin: rules ${where} failed: ${(err as Error).message}\n`));

  let folders: ReturnType<typeof readFolderCatalog> | null = null;
  let mapping: { value: LogsourceMapping | undefined } | null = null;
  const uploads = new Map<string, RuleUploadRow>();
  const states = new Map<string, RuleStateRow>();
  let catalog: Catalog | null = null;
  let built: Built | null = null;
  let rebuildTimer: NodeJS.Timeout | null = null;
  let waiters: (() => void)[] = [];
  const hitCounter = createHitCounter({ store, pipeline, known: () => getCatalog().byId, onError });

  /** Parsed uploads, by rule id (parsing thousands of rules again on every change would take seconds). */
  const parsedUploads = new Map<string, CatalogFile>();
  const uploadFile = (row: RuleUploadRow): CatalogFile => {
    let f = parsedUploads.get(row.rule_id);
    if (!f)
      parsedUploads.set(
        row.rule_id,
        (f = readCatalogFile(
          row.file_name,
          row.yaml,
          'uploaded',
          () => `1|${pad(row.uploaded_at, 15)}|${row.rule_id}`,
        )),
      );
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
  let reportWaiters: (() => void)[] = [];
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
      onError(err, 'rebuild');
    }
    const done = waiters;
    waiters = [];
    for (const w of done) w();
  }

  /** After a stored change: rebuild once the current request is answered (changes in a burst build once). */
  function scheduleRebuild(): void {
    rebuildTimer ??= setTimeout(rebuild, options.rebuildDelayMs ?? 20);
  }

  /** The engine's compile report is needed to answer: build it now if nothing has yet (and wait for the worker's). */
  async function ensureBuilt(): Promise<Built> {
    if (!built && !reportPending) pipeline.warm();
    if (!built && !reportPending) pipeline.replaceEngine(buildEngine()); // the pipeline had an engine from elsewhere
    await reportReady();
    return built!;
  }

  function summary(cat: Catalog, r: CatalogRule, h: RuleHitsRow | undefined): RuleSummary {
    return {
      id: r.id,
      name: r.name,
      title: r.title,
      titleZh: r.titleZh,
      level: r.level,
      kind: r.kind,
      logsource: r.logsource,
      tags: r.tags,
      origin: r.origin,
      file: r.file,
      enabled: isEnabled(r.id),
      reported: cat.reported.has(r),
      hits: Number(h?.hits ?? 0),
      lastHitAt: iso(h?.last_hit_at ?? null),
      error: built?.byRule.get(r.id) ?? null,
    };
  }

  const refOf = (ref: string, r: CatalogRule | undefined): RuleRef => ({
    ref,
    id: r?.id ?? null,
    title: r?.title ?? null,
    titleZh: r?.titleZh ?? null,
    kind: r?.kind ?? null,
    enabled: r ? isEnabled(r.id) : null,
  });

  function find(id: string): { cat: Catalog; rule: CatalogRule } {
    const cat = getCatalog();
    const rule = cat.byId.get(id);
    if (!rule) throw notFound(`rule ${id}`, { code: 'rule.not_found', params: { id } });
    return { cat, rule };
  }

  function compileError(e: CompileError, cat: Catalog): RuleCompileError {
    const r = e.ruleId ? cat.byId.get(e.ruleId) : undefined;
    return {
      file: e.file,
      origin: r?.origin ?? null,
      ruleId: e.ruleId ?? null,
      title: r?.title ?? null,
      reason: e.reason,
    };
  }

  /** 422 listing each rule that did not compile and why; nothing is stored. */
  function rejectUpload(fileName: string, errors: { ruleId?: string; reason: string }[]): never {
    const lines = errors.map((e) => `${e.ruleId ? `rule ${e.ruleId}: ` : ''}${e.reason}`);
    const detail = `${fileName} was not stored: ${errors.length === 1 ? 'a rule does' : `${errors.length} rules do`} not compile: ${lines.join('; ')}`;
    throw invalid(
      detail.length > 2000 ? `${detail.slice(0, 1999)}…` : detail,
      errors.map((e) => ({ path: e.ruleId ? `yaml.${e.ruleId}` : 'yaml', message: e.reason })),
      { code: 'rule.compile_failed', params: { count: errors.length } },
    );
  }

  return {
    /** Reads the stored uploads and rule states, and starts flushing hit counters (compose calls this). */
    async load(): Promise<void> {
      const [ups, sts] = await Promise.all([listUploads(store.db), listStates(store.db)]);
      uploads.clear();
      for (const u of ups) uploads.set(u.rule_id, u);
      parsedUploads.clear();
      states.clear();
      for (const s of sts) states.set(s.rule_id, s);
      catalog = null;
      hitCounter.start(options.hitFlushMs ?? 2000);
    },

    /** The engine for the pipeline: current catalogue, disabled rules left out. */
    buildEngine,

    /** Resolves once every stored change is in the live engine. */
    async settled(): Promise<void> {
      if (rebuildTimer) await new Promise<void>((resolve) => waiters.push(resolve));
      await reportReady();
    },

    /** The worker's compile report (remote compile; compose.ts wires the pipeline's onBuilt here). */
    acceptReport,

    /** A catalogued rule's zh-CN title (alert intake stores it beside the English one the match carries). */
    titleZh: (id: string): string | null => getCatalog().byId.get(id)?.titleZh ?? null,

    /** Writes the counted matches to the store now (also every few seconds, and on close). */
    flushHits: hitCounter.flush,

    async close(): Promise<void> {
      if (rebuildTimer) {
        clearTimeout(rebuildTimer);
        rebuildTimer = null;
        for (const w of waiters.splice(0)) w();
      }
      await hitCounter.stop();
    },

    async list(p: Principal, q: RuleListQuery): Promise<{ items: RuleSummary[]; next: string | null }> {
      assertCan(p, 'rule.read');
      await ensureBuilt();
      const cat = getCatalog();
      const after = q.cursor ? decodeCursor(q.cursor) : undefined;
      const words = (q.q ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
      const enabled = q.enabled === undefined ? undefined : q.enabled === 'true';
      const hits = new Map((await listHits(store.db)).map((h) => [h.rule_id, h]));
      const matching = cat.rules
        .filter((r) => {
          if (q.level && r.level !== q.level) return false;
          if (q.kind && r.kind !== q.kind) return false;
          if (q.origin && r.origin !== q.origin) return false;
          if (enabled !== undefined && isEnabled(r.id) !== enabled) return false;
          if (after !== undefined && r.sortKey <= after) return false;
          if (!words.length) return true;
          const hay = [r.title, r.titleZh ?? '', r.id, r.name ?? '', r.file, ...r.tags].join('\n').toLowerCase();
          return words.every((w) => hay.includes(w));
        })
        .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
      const page = matching.slice(0, q.limit);
      return {
        items: page.map((r) => summary(cat, r, hits.get(r.id))),
        next: matching.length > q.limit ? encodeCursor(page[page.length - 1]!.sortKey) : null,
      };
    },

    async get(p: Principal, id: string): Promise<RuleDetail> {
      assertCan(p, 'rule.read');
      await ensureBuilt();
      const { cat, rule } = find(id);
      const h = await findHits(store.db, id);
      const upload = uploads.get(id);
      const state = states.get(id);
      const names = await userNames(
        store.db,
        [upload?.uploaded_by, state?.changed_by].filter((x): x is string => !!x),
      );
      const person = (uid: string | null | undefined) => (uid ? { id: uid, name: names.get(uid) ?? uid } : null);
      return {
        ...summary(cat, rule, h),
        description: rule.description,
        status: rule.status,
        yaml: rule.yaml,
        references: rule.refs.map((ref) => refOf(ref, cat.byRef.get(ref))),
        usedBy: (cat.usedBy.get(rule) ?? []).map((u) => refOf(u.id, u)),
        uploaded: upload ? { by: person(upload.uploaded_by), at: iso(upload.uploaded_at) } : null,
        changed: state ? { by: person(state.changed_by), at: iso(state.changed_at) } : null,
      };
    },

    /** The current rule set's compile errors, and whether a change is still being applied. */
    async status(p: Principal): Promise<RuleSetStatus> {
      assertCan(p, 'rule.read');
      const b = await ensureBuilt();
      const cat = getCatalog();
      return {
        compiled: b.compiled,
        disabled: cat.rules.filter((r) => !isEnabled(r.id)).length,
        errors: b.errors.map((e) => compileError(e, cat)),
        loadedAt: iso(b.at),
        pending: rebuildTimer !== null || reportPending,
      };
    },

    /** Enables or disables a rule (bundled or uploaded); effective within seconds, and after a restart. */
    async setEnabled(p: Principal, id: string, enabled: boolean): Promise<RuleSummary> {
      assertCan(p, 'rule.manage');
      find(id);
      const before = isEnabled(id);
      if (before !== enabled) {
        const row: RuleStateRow = {
          rule_id: id,
          enabled: enabled ? 1 : 0,
          changed_by: p.user.id,
          changed_at: clock.now(),
        };
        await store.transaction(async (tx) => {
          await upsertState(tx, row);
          await audit.append(tx, actorOf(p), {
            action: enabled ? 'rule.enable' : 'rule.disable',
            targetType: 'rule',
            targetId: id,
            before: { enabled: before },
            after: { enabled },
          });
        });
        states.set(id, row);
        scheduleRebuild();
      }
      const { cat, rule } = find(id);
      return summary(cat, rule, await findHits(store.db, id));
    },

    /**
     * Uploads YAML (one or more rule documents). Compiled first, with the existing rules it refers to,
     * so a correlation may use rules already loaded; any compile error rejects the whole upload (422).
     */
    async upload(p: Principal, input: RuleUpload): Promise<{ items: RuleSummary[] }> {
      assertCan(p, 'rule.manage');
      const cat = getCatalog();
      const fileName = input.fileName;
      const errorsOf = (sources: { file: string; text: string }[]) =>
        createSigmaEngine({ rules: sources }).report.errors.filter((e) => e.file === fileName);
      const file = readCatalogFile(fileName, input.yaml, 'uploaded', () => '');
      if (!file.parseable) {
        const errs = errorsOf([{ file: fileName, text: input.yaml }]);
        rejectUpload(fileName, errs.length ? errs : [{ reason: 'the YAML could not be read' }]);
      }
      if (!file.docs.length)
        throw invalid(`${fileName} holds no rule`, [{ path: 'yaml', message: 'no YAML document', code: 'required' }], {
          code: 'rule.upload_empty',
          params: { file: fileName },
        });
      const named = file.docs.flatMap((d) => (d.rule ? [d.rule] : []));
      const noId = named.filter((r) => !r.sigmaId);
      if (noId.length) {
        rejectUpload(
          fileName,
          noId.map((r) => ({
            reason: `rule "${r.title}" has no id; an uploaded rule needs one (a random UUID) so alerts, suppressions and the API can refer to it`,
          })),
        );
      }
      const clashes: string[] = [];
      for (const r of named) {
        for (const [what, key] of [
          ['id', r.sigmaId],
          ['name', r.name],
        ] as const) {
          const owner = key ? cat.byRef.get(key) : undefined;
          if (key && owner)
            clashes.push(
              `${what} ${key} is already used by ${owner.kind} rule "${owner.title}" (${owner.origin === 'file' ? owner.file : `uploaded as ${owner.file}`})`,
            );
        }
      }
      if (clashes.length)
        throw conflict(
          `${clashes.join('; ')}; give the uploaded rule a new ${clashes.length > 1 ? 'ids and names' : 'id or name'}, or delete the uploaded one first`,
          {
            code: 'rule.id_taken',
            params: {
              refs: named
                .flatMap((r) => [r.sigmaId, r.name])
                .filter((k): k is string => !!k && cat.byRef.has(k))
                .join(', '),
            },
          },
        );
      const existing = referencedClosure(
        cat,
        named.flatMap((r) => r.refs),
      );
      const errs = errorsOf([
        { file: fileName, text: input.yaml },
        ...existing.map((r, i) => ({ file: `existing:${i}`, text: r.yaml })),
      ]);
      if (errs.length) rejectUpload(fileName, errs);

      const now = clock.now();
      const rows: RuleUploadRow[] = file.docs.flatMap((d) =>
        d.rule
          ? [{ rule_id: d.rule.id, file_name: fileName, yaml: d.yaml, uploaded_by: p.user.id, uploaded_at: now }]
          : [],
      );
      await store.transaction(async (tx) => {
        const stored = await findUploads(
          tx,
          rows.map((r) => r.rule_id),
        );
        if (stored.length)
          throw conflict(`rule ${stored.map((s) => s.rule_id).join(', ')} was uploaded meanwhile`, {
            code: 'rule.uploaded_meanwhile',
            params: { ids: stored.map((s) => s.rule_id).join(', ') },
          });
        await insertUploads(tx, rows);
        await audit.appendMany(
          tx,
          actorOf(p),
          named.map((r) => ({
            action: 'rule.upload',
            targetType: 'rule',
            targetId: r.id,
            after: { fileName, title: r.title, kind: r.kind, level: r.level, yaml: r.yaml },
          })),
        );
      });
      for (const r of rows) uploads.set(r.rule_id, r);
      catalog = null;
      scheduleRebuild();
      const after = getCatalog();
      return { items: rows.map((r) => summary(after, after.byId.get(r.rule_id)!, undefined)) };
    },

    /** Deletes an uploaded rule (a rule folder's rules are read-only: disable them instead). */
    async remove(p: Principal, id: string): Promise<void> {
      assertCan(p, 'rule.manage');
      const { cat, rule } = find(id);
      if (rule.origin === 'file')
        throw conflict(
          `rule ${id} comes from the rule file ${rule.file}, which is read-only; disable the rule instead`,
          { code: 'rule.read_only', params: { id, file: rule.file } },
        );
      const users = (cat.usedBy.get(rule) ?? []).filter((u) => u !== rule);
      if (users.length) {
        throw conflict(
          `rule ${id} is used by ${users.map((u) => `${u.kind} rule ${u.id} ("${u.title}")`).join(', ')}; delete or change ${users.length > 1 ? 'those' : 'that'} first`,
          { code: 'rule.in_use', params: { id, users: users.map((u) => u.id).join(', ') } },
        );
      }
      const hits = await findHits(store.db, id);
      await store.transaction(async (tx) => {
        if (!(await deleteUpload(tx, id))) throw notFound(`rule ${id}`, { code: 'rule.not_found', params: { id } });
        await audit.append(tx, actorOf(p), {
          action: 'rule.delete',
          targetType: 'rule',
          targetId: id,
          before: {
            fileName: rule.file,
            title: rule.title,
            kind: rule.kind,
            level: rule.level,
            enabled: isEnabled(id),
            hits: Number(hits?.hits ?? 0),
            yaml: rule.yaml,
          },
        });
      });
      uploads.delete(id);
      parsedUploads.delete(id);
      states.delete(id);
      hitCounter.forget(id);
      catalog = null;
      scheduleRebuild();
    },
  };
}

export type RuleService = ReturnType<typeof createRuleService>;
