/**
 * Emergency plans in the store: every imported YAML source is a version (draft -> approved -> active ->
 * retired, at most one active per plan), with its diff, its review date, and CACAO 2.0 export/import.
 * Changes take a caller: a principal (checked against `plan.manage` / `plan.approve`) or the CLI's actor,
 * which acts on the store directly. Reads need no caller (routes check `plan.read`).
 */
import { createHash } from 'node:crypto';
import { diffLib } from '../../platform/heavy-libs.js';
import YAML from 'yaml';
import type { Permission } from '../../../shared/permissions.js';
import type { Plan, PlanStatus, PlanSummary, PlanVersionInfo } from '../../../shared/plan-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db, PlanVersionsTable } from '../../platform/db/types.js';
import { conflict, type FieldError, invalid, notFound } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { UserService } from '../user/index.js';
import { CacaoError, fromCacao, toCacao } from './plan-cacao.js';
import { lintPlanText, type PlanProblem } from './plan-lint.js';
import { type Names, toSummary, toVersionInfo, userIdsOf } from './plan.mapper.js';
import {
  activeVersion,
  activeVersions,
  findPlan,
  findVersion,
  insertPlan,
  insertVersion,
  latestVersion,
  listPlanRows,
  listVersions,
  listVersionStates,
  touchPlan,
  updateVersion,
} from './plan.repository.js';

/** Who changes a plan: a signed-in principal, or the CLI's actor (no user; it acts on the store itself). */
export type PlanCaller = Principal | Actor;

/** A plan's active version, for the activation engine. */
export interface ActivePlan {
  planId: string;
  version: number;
  document: Plan;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The 422 of a plan source with problems: one field error per problem, with its line and column. */
function refuse(problems: PlanProblem[]): never {
  const errors: FieldError[] = problems.map((p) => ({
    path: 'source',
    message: `${p.line}:${p.column}: ${p.reason}`,
    code: 'plan_problem',
    params: { line: p.line, column: p.column },
  }));
  const shown = problems.slice(0, 5).map((p) => `${p.line}:${p.column}: ${p.reason}`);
  throw invalid(
    `the plan has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown.join('; ')}${problems.length > 5 ? '; ...' : ''}`,
    errors,
    { code: 'plan.invalid', params: { count: problems.length } },
  );
}

export function createPlanService(deps: { store: Store; audit: AuditService; clock: Clock; users: UserService }) {
  const { store, audit, clock, users } = deps;

  const authorize = (caller: PlanCaller, permission: Permission): Actor => {
    if ('user' in caller) {
      assertCan(caller, permission);
      return actorOf(caller);
    }
    return caller;
  };

  const planMissing = (id: string) => notFound(`plan ${id}`, { code: 'plan.not_found', params: { id } });
  const versionMissing = (id: string, version: number) =>
    notFound(`version ${version} of plan ${id}`, { code: 'plan.version_not_found', params: { id, version } });

  async function names(rows: PlanVersionsTable[], db: Db = store.db): Promise<Names> {
    const ids = userIdsOf(rows);
    return ids.length ? users.namesOf(ids, db) : new Map();
  }

  async function summaryOf(db: Db, id: string): Promise<PlanSummary> {
    const plan = await findPlan(db, id);
    const latest = plan && (await latestVersion(db, id));
    if (!plan || !latest) throw planMissing(id);
    const active = await activeVersion(db, id);
    return toSummary({
      plan,
      latest,
      active: active
        ? { version: active.version, approvedAt: active.approved_at, document: JSON.parse(active.document) }
        : null,
      now: clock.now(),
    });
  }

  async function versionRow(db: Db, id: string, version: number): Promise<PlanVersionsTable> {
    const row = await findVersion(db, id, version);
    if (row) return row;
    if (!(await findPlan(db, id))) throw planMissing(id);
    throw versionMissing(id, version);
  }

  const wrongStatus = (row: PlanVersionsTable, wanted: string, what: string) =>
    conflict(`version ${row.version} of plan ${row.plan_id} is ${row.status}; only ${wanted} version can be ${what}`, {
      code: 'plan.wrong_status',
      params: { status: row.status, wanted, version: Number(row.version) },
    });

  async function setStatus(
    caller: PlanCaller,
    permission: Permission,
    id: string,
    version: number,
    change: (row: PlanVersionsTable, actor: Actor, tx: Db) => Promise<PlanStatus>,
    action: 'plan.approve' | 'plan.activate' | 'plan.retire',
  ): Promise<PlanVersionInfo> {
    const actor = authorize(caller, permission);
    return store.transaction(async (tx) => {
      const row = await versionRow(tx, id, version);
      const before = row.status;
      const after = await change(row, actor, tx);
      await touchPlan(tx, id, await namesOfPlan(tx, id), clock.now());
      await audit.append(tx, actor, {
        action,
        targetType: 'plan',
        targetId: id,
        before: { version, status: before },
        after: { version, status: after },
      });
      const updated = (await findVersion(tx, id, version))!;
      return toVersionInfo(updated, await names([updated], tx));
    });
  }

  async function namesOfPlan(db: Db, id: string) {
    const p = (await findPlan(db, id))!;
    return { name_zh: p.name_zh, name_en: p.name_en };
  }

  const service = {
    /** Checks a source without storing anything (the console's editor). */
    lintSource(source: string): { problems: { line: number; column: number; message: string }[] } {
      const r = lintPlanText(source);
      return { problems: r.problems.map((p) => ({ line: p.line, column: p.column, message: p.reason })) };
    },

    /**
     * Stores a plan source as a new draft version, unless it is byte for byte the latest version's
     * (then nothing is stored: `changed: false`). A source with problems is refused (422, each with its line).
     */
    async importSource(
      caller: PlanCaller,
      source: string,
      opts: { file?: string } = {},
    ): Promise<{ plan: PlanSummary; version: PlanVersionInfo; changed: boolean }> {
      const actor = authorize(caller, 'plan.manage');
      const linted = lintPlanText(source);
      if (linted.plan === null) refuse(linted.problems);
      const doc = linted.plan;
      const digest = sha256(source);
      return store.transaction(async (tx) => {
        const now = clock.now();
        const planNames = { name_zh: doc.name['zh-CN'], name_en: doc.name.en };
        const existing = await findPlan(tx, doc.id);
        const latest = existing ? await latestVersion(tx, doc.id) : undefined;
        if (latest && latest.sha256 === digest && latest.source === source) {
          return {
            plan: await summaryOf(tx, doc.id),
            version: toVersionInfo(latest, await names([latest], tx)),
            changed: false,
          };
        }
        if (!existing) await insertPlan(tx, { id: doc.id, ...planNames, created_at: now, updated_at: now });
        else await touchPlan(tx, doc.id, planNames, now);
        const row: PlanVersionsTable = {
          plan_id: doc.id,
          version: (latest ? Number(latest.version) : 0) + 1,
          source,
          document: JSON.stringify(doc),
          sha256: digest,
          status: 'draft',
          created_by: actor.id,
          created_by_label: actor.label,
          created_at: now,
          approved_by: null,
          approved_by_label: null,
          approved_at: null,
          activated_by: null,
          activated_by_label: null,
          activated_at: null,
          retired_at: null,
        };
        await insertVersion(tx, row);
        await audit.append(tx, actor, {
          action: 'plan.import',
          targetType: 'plan',
          targetId: doc.id,
          after: { version: row.version, sha256: digest, status: 'draft', ...(opts.file ? { file: opts.file } : {}) },
        });
        return {
          plan: await summaryOf(tx, doc.id),
          version: toVersionInfo(row, await names([row], tx)),
          changed: true,
        };
      });
    },

    /** A draft version becomes approved (`plan.approve`). */
    approve(caller: PlanCaller, id: string, version: number): Promise<PlanVersionInfo> {
      return setStatus(
        caller,
        'plan.approve',
        id,
        version,
        async (row, actor, tx) => {
          if (row.status !== 'draft') throw wrongStatus(row, 'a draft', 'approved');
          await updateVersion(tx, id, version, {
            status: 'approved',
            approved_by: actor.id,
            approved_by_label: actor.label,
            approved_at: clock.now(),
          });
          return 'approved';
        },
        'plan.approve',
      );
    },

    /** An approved version becomes the active one (`plan.manage`); the version active before is retired. */
    activate(caller: PlanCaller, id: string, version: number): Promise<PlanVersionInfo> {
      return setStatus(
        caller,
        'plan.manage',
        id,
        version,
        async (row, actor, tx) => {
          if (row.status !== 'approved') throw wrongStatus(row, 'an approved', 'activated');
          const previous = await activeVersion(tx, id);
          const now = clock.now();
          if (previous) await updateVersion(tx, id, previous.version, { status: 'retired', retired_at: now });
          await updateVersion(tx, id, version, {
            status: 'active',
            activated_by: actor.id,
            activated_by_label: actor.label,
            activated_at: now,
          });
          return 'active';
        },
        'plan.activate',
      );
    },

    /** A version that is not retired yet is retired (`plan.manage`); retiring the active one leaves the plan inactive. */
    retire(caller: PlanCaller, id: string, version: number): Promise<PlanVersionInfo> {
      return setStatus(
        caller,
        'plan.manage',
        id,
        version,
        async (row, _actor, tx) => {
          if (row.status === 'retired') throw wrongStatus(row, 'a draft, approved or active', 'retired');
          await updateVersion(tx, id, version, { status: 'retired', retired_at: clock.now() });
          return 'retired';
        },
        'plan.retire',
      );
    },

    /** Every plan with its latest and active versions and review date, by id. */
    async list(): Promise<PlanSummary[]> {
      const [plans, states, actives] = await Promise.all([
        listPlanRows(store.db),
        listVersionStates(store.db),
        activeVersions(store.db),
      ]);
      const latest = new Map<string, { version: number; status: PlanStatus }>();
      for (const s of states) if (!latest.has(s.plan_id)) latest.set(s.plan_id, s);
      const active = new Map(actives.map((a) => [a.plan_id, a]));
      const now = clock.now();
      return plans.flatMap((plan) => {
        const l = latest.get(plan.id);
        const a = active.get(plan.id);
        if (!l) return [];
        return [
          toSummary({
            plan,
            latest: l,
            active: a ? { version: a.version, approvedAt: a.approved_at, document: JSON.parse(a.document) } : null,
            now,
          }),
        ];
      });
    },

    /** The plan and its versions, newest first. */
    async get(id: string): Promise<PlanSummary & { versions: PlanVersionInfo[] }> {
      const summary = await summaryOf(store.db, id);
      return { ...summary, versions: await service.versions(id) };
    },

    async versions(id: string): Promise<PlanVersionInfo[]> {
      const rows = await listVersions(store.db, id);
      if (rows.length === 0) throw planMissing(id);
      const n = await names(rows);
      return rows.map((r) => toVersionInfo(r, n));
    },

    /** One version with its YAML source and parsed document. */
    async version(id: string, version: number): Promise<PlanVersionInfo & { source: string; document: Plan }> {
      const row = await versionRow(store.db, id, version);
      return { ...toVersionInfo(row, await names([row])), source: row.source, document: JSON.parse(row.document) };
    },

    /** A unified diff of the YAML sources of two versions. */
    async diff(id: string, from: number, to: number) {
      const [a, b] = await Promise.all([versionRow(store.db, id, from), versionRow(store.db, id, to)]);
      const { createTwoFilesPatch } = await diffLib();
      const diff = createTwoFilesPatch(`${id} v${from}`, `${id} v${to}`, a.source, b.source, undefined, undefined, {
        context: 3,
      });
      return { planId: id, from, to, diff };
    },

    /** The active version of every plan (in the caller's transaction when given one). */
    async activePlans(db: Db = store.db): Promise<ActivePlan[]> {
      return (await activeVersions(db)).map((r) => ({
        planId: r.plan_id,
        version: Number(r.version),
        document: JSON.parse(r.document) as Plan,
      }));
    },

    /** A version (the active one unless `version` is given) as a CACAO 2.0 playbook. */
    async cacao(id: string, version?: number): Promise<Record<string, unknown>> {
      let row: PlanVersionsTable | undefined;
      if (version !== undefined) row = await versionRow(store.db, id, version);
      else {
        row = await activeVersion(store.db, id);
        if (!row) {
          if (!(await findPlan(store.db, id))) throw planMissing(id);
          throw notFound(`an active version of plan ${id} (ask for one with ?version=)`, {
            code: 'plan.version_not_found',
            params: { id },
          });
        }
      }
      const document = JSON.parse(row.document) as Plan;
      return toCacao(document, {
        created: Number(row.created_at),
        modified: Number(row.activated_at ?? row.approved_at ?? row.created_at),
        createdBy: row.created_by_label,
      });
    },

    /** Imports a CACAO 2.0 playbook as a new draft version (422 naming why when it is not convertible). */
    async importCacao(caller: PlanCaller, playbook: unknown) {
      authorize(caller, 'plan.manage');
      let plan: Plan;
      try {
        plan = fromCacao(playbook);
      } catch (err) {
        if (!(err instanceof CacaoError)) throw err;
        throw invalid(`the CACAO playbook cannot be imported: ${err.message}`, undefined, {
          code: 'plan.cacao_unconvertible',
        });
      }
      return service.importSource(caller, YAML.stringify(plan, { lineWidth: 0 }));
    },
  };
  return service;
}

export type PlanService = ReturnType<typeof createPlanService>;
