/**
 * Managed detection rules: the catalogue (rule folders plus uploads), enable/disable, upload, delete,
 * compile errors and hit counts. Each change is stored (with its audit entry) before the call returns;
 * the live engine is then rebuilt off the request and swapped into the pipeline (`rule-engine-builder.ts`).
 */
import type {
  RuleDetail,
  RuleListQuery,
  RuleSetStatus,
  RuleSummary,
  RuleUpload,
} from '../../../shared/rule-schemas.js';
import { createLocalSignals, type Signals } from '../../platform/cluster/signals.js';
import type { Store } from '../../platform/db/connect.js';
import { cursorCodec, invalidCursor } from '../../platform/cursor.js';
import { conflict, notFound } from '../../platform/errors.js';
import { iso, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { UserService } from '../user/index.js';
import type { DetectionPipeline, RuleHits } from './pipeline.js';
import type { Catalog, CatalogRule } from './rule-catalog.js';
import {
  createRuleEngineBuilder,
  type RuleEngineBuilderOptions,
  type RuleEngineConfig,
} from './rule-engine-builder.js';
import { createHitCounter } from './rule-hits.js';
import { toCompileError, toRuleRef, toSummary } from './rule.mapper.js';
import type { RuleSetReport } from './rule-set.js';
import { checkUpload } from './rule-upload-check.js';
import {
  deleteUpload,
  findHits,
  findUploads,
  insertUploads,
  listHits,
  listStates,
  listUploads,
  upsertState,
  type RuleHitsRow,
  type RuleStateRow,
  type RuleUploadRow,
} from './rule.repository.js';

export interface RuleServiceOptions extends RuleEngineBuilderOptions {
  /** How often counted matches are written to the store (default 2 s). */
  hitFlushMs?: number;
}

const cursor = cursorCodec(['text']);
const encodeCursor = (sortKey: string) => cursor.encode([sortKey]);
function decodeCursor(c: string): string {
  const [key] = cursor.decode(c);
  if (!/^[01]\|/.test(key)) throw invalidCursor();
  return key;
}

export function createRuleService(
  deps: {
    store: Store;
    audit: AuditService;
    clock: Clock;
    pipeline: DetectionPipeline;
    /** Names the people who uploaded or changed a rule. */
    users: Pick<UserService, 'namesOf'>;
    config: RuleEngineConfig;
    /** Told about each build's compile report (the server logs it). */
    onRuleSet?: (report: RuleSetReport) => void;
    onError?: (err: unknown, where: string) => void;
    /** Other processes hear of each change (`rules`) and refresh; embedded mode: nobody to tell. */
    signals?: Signals;
  },
  options: RuleServiceOptions = {},
) {
  const { store, audit, clock, pipeline } = deps;
  const signals = deps.signals ?? createLocalSignals();
  /** After a change is stored and in this process's catalogue: tell the other processes. */
  let localChanges = 0;
  const changed = () => {
    localChanges += 1;
    signals.publishSignal('rules');
  };
  const onError =
    deps.onError ??
    ((err: unknown, where: string) =>
      process.stderr.write(`tocsin: rules ${where} failed: ${(err as Error).message}\n`));
  const engine = createRuleEngineBuilder(
    { clock, pipeline, config: deps.config, onRuleSet: deps.onRuleSet, onError },
    options,
  );
  const hitCounter = createHitCounter({ store, pipeline, known: () => engine.catalog().byId, onError });

  const summary = (cat: Catalog, r: CatalogRule, h: RuleHitsRow | undefined): RuleSummary =>
    toSummary(cat, r, h, engine);

  function find(id: string): { cat: Catalog; rule: CatalogRule } {
    const cat = engine.catalog();
    const rule = cat.byId.get(id);
    if (!rule) throw notFound(`rule ${id}`, { code: 'rule.not_found', params: { id } });
    return { cat, rule };
  }

  /** One refresh at a time; a signal during one asks for another after it (it may have read too early). */
  let refreshing: Promise<boolean> | null = null;
  let again = false;
  async function refresh(): Promise<boolean> {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      let changedAny = false;
      do {
        again = false;
        const seen = localChanges;
        const [ups, sts] = await Promise.all([listUploads(store.db), listStates(store.db)]);
        // A change made here while reading: what was read may miss it, read again.
        if (seen !== localChanges) {
          again = true;
          continue;
        }
        const before = new Set(engine.catalog().byId.keys());
        if (engine.refresh(ups, sts)) {
          changedAny = true;
          for (const id of before) if (!engine.catalog().byId.has(id)) hitCounter.forget(id);
        }
      } while (again);
      return changedAny;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }
  let stopSignals: (() => void) | null = null;

  return {
    /**
     * Reads the stored uploads and rule states, starts flushing hit counters and listening for other
     * processes' rule changes (compose calls this).
     */
    async load(): Promise<void> {
      // Listening first: a change elsewhere while reading is refreshed right after.
      let loaded = false;
      let heard = false;
      const onRules = () => {
        if (!loaded) heard = true;
        else refresh().catch((err: unknown) => onError(err, 'refresh'));
      };
      stopSignals ??= signals.onSignal('rules', onRules);
      const [ups, sts] = await Promise.all([listUploads(store.db), listStates(store.db)]);
      engine.load(ups, sts);
      loaded = true;
      hitCounter.start(options.hitFlushMs ?? 2000);
      if (heard) onRules();
    },

    /**
     * Reads the stored uploads and states again (another process changed them) and rebuilds the engine
     * when they differ; hit counts go on. Resolves whether anything changed.
     */
    refresh,

    /** The engine for the pipeline: current catalogue, disabled rules left out. */
    buildEngine: engine.buildEngine,

    /** Resolves once every stored change is in the live engine. */
    settled: engine.settled,

    /** Stage two of the at-scale mode: correlator factory for the current rule set (`cluster/stage-two.ts`). */
    correlators: engine.correlators,
    /** Told after the live engine was rebuilt for a stored change. */
    onRebuilt: engine.onRebuilt,

    /** The worker's compile report (remote compile; compose.ts wires the pipeline's onBuilt here). */
    acceptReport: engine.acceptReport,

    /** A catalogued rule's zh-CN title (alert intake stores it beside the English one the match carries). */
    titleZh: (id: string): string | null => engine.catalog().byId.get(id)?.titleZh ?? null,

    /** Writes the counted matches to the store now (also every few seconds, and on close). */
    flushHits: hitCounter.flush,

    /** Counts another source's matches in the rules' hits (stage two: correlations fire there, not in the pipeline). */
    countHitsOf: (source: { takeHits(): RuleHits }): void => hitCounter.countFrom(() => source.takeHits()),

    async close(): Promise<void> {
      stopSignals?.();
      engine.close();
      await hitCounter.stop();
    },

    async list(p: Principal, q: RuleListQuery): Promise<{ items: RuleSummary[]; next: string | null }> {
      assertCan(p, 'rule.read');
      await engine.ensureBuilt();
      const cat = engine.catalog();
      const after = q.cursor ? decodeCursor(q.cursor) : undefined;
      const words = (q.q ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
      const enabled = q.enabled === undefined ? undefined : q.enabled === 'true';
      const hits = new Map((await listHits(store.db)).map((h) => [h.rule_id, h]));
      const matching = cat.rules
        .filter((r) => {
          if (q.level && r.level !== q.level) return false;
          if (q.kind && r.kind !== q.kind) return false;
          if (q.origin && r.origin !== q.origin) return false;
          if (enabled !== undefined && engine.isEnabled(r.id) !== enabled) return false;
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
      await engine.ensureBuilt();
      const { cat, rule } = find(id);
      const h = await findHits(store.db, id);
      const upload = engine.upload(id);
      const state = engine.state(id);
      const names = await deps.users.namesOf([upload?.uploaded_by, state?.changed_by].filter((x): x is string => !!x));
      const person = (uid: string | null | undefined) => (uid ? { id: uid, name: names.get(uid) ?? uid } : null);
      return {
        ...summary(cat, rule, h),
        description: rule.description,
        status: rule.status,
        yaml: rule.yaml,
        references: rule.refs.map((ref) => toRuleRef(ref, cat.byRef.get(ref), engine)),
        usedBy: (cat.usedBy.get(rule) ?? []).map((u) => toRuleRef(u.id, u, engine)),
        uploaded: upload ? { by: person(upload.uploaded_by), at: iso(upload.uploaded_at) } : null,
        changed: state ? { by: person(state.changed_by), at: iso(state.changed_at) } : null,
      };
    },

    /** The current rule set's compile errors, and whether a change is still being applied. */
    async status(p: Principal): Promise<RuleSetStatus> {
      assertCan(p, 'rule.read');
      const b = await engine.ensureBuilt();
      const cat = engine.catalog();
      return {
        compiled: b.compiled,
        disabled: cat.rules.filter((r) => !engine.isEnabled(r.id)).length,
        errors: b.errors.map((e) => toCompileError(e, cat)),
        loadedAt: iso(b.at),
        pending: engine.pending(),
      };
    },

    /** Enables or disables a rule (bundled or uploaded); effective within seconds, and after a restart. */
    async setEnabled(p: Principal, id: string, enabled: boolean): Promise<RuleSummary> {
      assertCan(p, 'rule.manage');
      find(id);
      const before = engine.isEnabled(id);
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
        engine.setState(row);
        changed();
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
      const { file, named } = checkUpload(engine.catalog(), input);
      const fileName = input.fileName;
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
      engine.addUploads(rows);
      changed();
      const after = engine.catalog();
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
            enabled: engine.isEnabled(id),
            hits: Number(hits?.hits ?? 0),
            yaml: rule.yaml,
          },
        });
      });
      hitCounter.forget(id);
      engine.removeUpload(id);
      changed();
    },
  };
}

export type RuleService = ReturnType<typeof createRuleService>;
