/**
 * Affected-customer sets of an incident: made from a definition, evaluated into a version of members
 * with reasons; a new definition or a refresh that finds other members makes a new version; two
 * versions compare. Every change is audited in its transaction; afterwards the incident's customers
 * affected becomes the primary set's count (else the largest set's), as an audited incident change.
 */
import { channel } from 'node:diagnostics_channel';
import type { AffectedSetCreate, AffectedSetUpdate, ScopeDefinition } from '../../../shared/scoping-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { cursorCodec } from '../../platform/cursor.js';
import { invalid, notFound } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee, type IncidentRef, type IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { deleteVersionMembers } from './affected-members.repository.js';
import {
  insertSet,
  insertVersion,
  makePrimary,
  memberCustomerIds,
  membersNotIn,
  membersPage,
  type MemberRow,
  sameMemberKeys,
  type SetRow,
  setById,
  setsOfIncident,
  updateSet,
  versionOf,
  versionsOf,
} from './affected-set.repository.js';
import type { Evaluate } from './evaluate.js';
import { toMember, toSetSummary, toVersionInfo } from './scoping.mapper.js';
import type { ScopingCustomers } from './scoping-ports.js';

export interface AffectedSetDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
  evaluate: Evaluate;
  /** Writes the activity rows still buffered in this process, before a definition is evaluated. */
  flushActivity?: () => Promise<void>;
  customers: ScopingCustomers;
}

const DIFF_LIMIT = 500;

/**
 * Where the time of a set's creation goes (bench:notify's scope case listens): `{ phase, ms }` messages
 * on this diagnostics channel, published only while someone subscribes.
 */
export const SCOPE_PHASES = 'tocsin.scoping.phase';
const phaseChannel = channel(SCOPE_PHASES);
function laps() {
  let t = performance.now();
  return (phase: string) => {
    const now = performance.now();
    if (phaseChannel.hasSubscribers) phaseChannel.publish({ phase, ms: now - t });
    t = now;
  };
}
const cursor = cursorCodec(['text'] as const);

export function createAffectedSetService(deps: AffectedSetDeps) {
  const { store, audit, clock, incidents, users, evaluate } = deps;
  const flushActivity = deps.flushActivity ?? (async () => {});
  const missing = (id: string) => notFound(`affected-customer set ${id}`);

  async function visibleIncident(db: Db, p: Principal, key: string): Promise<IncidentRef> {
    const incident = await incidents.loadVisible(db, p, key);
    return (await incidents.refs(db, [incident.id])).get(incident.id)!;
  }

  /** The set and its incident, if the principal may see the incident (else 404 for the set). */
  async function load(db: Db, p: Principal, id: string): Promise<{ row: SetRow; ref: IncidentRef }> {
    const row = await setById(db, id);
    if (!row) throw missing(id);
    const ref = (await incidents.refs(db, [row.incident_id])).get(row.incident_id);
    if (!ref || !canSee(p, ref.audience)) throw missing(id);
    return { row, ref };
  }

  /** The row of version `version` of a set (its members are written by the evaluation). */
  const versionRow = (
    p: Principal,
    setId: string,
    version: number,
    def: ScopeDefinition,
    count: number,
    now: number,
  ) => ({
    set_id: setId,
    version,
    definition: JSON.stringify(def),
    customer_count: count,
    created_by: p.user.id,
    created_at: now,
  });

  /** After a change: the incident's customers affected from its primary (else largest) set. */
  async function syncImpact(p: Principal, ref: IncidentRef): Promise<void> {
    const sets = await setsOfIncident(store.db, ref.id);
    if (!sets.length) return;
    const chosen =
      sets.find((s) => Number(s.is_primary) === 1) ??
      sets.reduce((a, b) => (Number(b.customer_count) > Number(a.customer_count) ? b : a));
    await incidents.setCustomersAffected(
      p,
      ref.key,
      Number(chosen.customer_count),
      `${chosen.name} v${chosen.version}`,
    );
  }

  async function view(db: Db, row: SetRow, ref: IncidentRef, version?: number) {
    const versions = await versionsOf(db, row.id);
    const shown = versions.find((v) => Number(v.version) === (version ?? Number(row.version)));
    if (!shown) throw notFound(`version ${version} of affected-customer set ${row.id}`);
    const names = await users.namesOf(
      [row.created_by, ...versions.map((v) => v.created_by)].filter((x): x is string => !!x),
      db,
    );
    return {
      ...toSetSummary(row, ref.key, names),
      shown: toVersionInfo(shown, names),
      versions: versions.map((v) => {
        const { definition: _d, ...rest } = toVersionInfo(v, names);
        return rest;
      }),
    };
  }

  async function membersOf(db: Db, rows: MemberRow[]) {
    const customers = await deps.customers.directory.cardsByIds(
      rows.flatMap((r) => (r.customer_id ? [r.customer_id] : [])),
      db,
    );
    const byId = new Map(customers.map((c) => [c.id, c]));
    return rows.map((r) => toMember(r, byId));
  }

  /** New version of a set from `def` (null: no change, the members are the same and the definition too). */
  async function revise(
    p: Principal,
    id: string,
    change: { def?: ScopeDefinition; name?: string; primary?: boolean },
    action: 'affected_set.update' | 'affected_set.refresh',
  ) {
    await flushActivity(); // outside the transaction: SQLite's one connection would wait on itself
    const out = await store.transaction(async (tx) => {
      const { row, ref } = await load(tx, p, id);
      const current = (await versionOf(tx, id, Number(row.version)))!;
      const def = change.def ?? (JSON.parse(current.definition) as ScopeDefinition);
      const sameDef = JSON.stringify(def) === current.definition;
      const now = clock.now();
      const next: SetRow = { ...row, name: change.name ?? row.name };
      let changed = next.name !== row.name;
      // Evaluated as the next version, kept when the definition or the members differ.
      const version = Number(row.version) + 1;
      const count = await evaluate(tx, row.incident_id, def, { setId: id, version });
      const sameKeys =
        count === Number(current.customer_count) && (await sameMemberKeys(tx, id, version, Number(row.version)));
      if (!sameDef || !sameKeys) {
        next.version = version;
        next.customer_count = count;
        await insertVersion(tx, versionRow(p, id, version, def, count, now));
        changed = true;
      } else await deleteVersionMembers(tx, id, version);
      if (change.primary === true && Number(row.is_primary) !== 1) {
        await makePrimary(tx, row.incident_id, id);
        next.is_primary = 1;
        changed = true;
      } else if (change.primary === false && Number(row.is_primary) === 1) {
        next.is_primary = 0;
        changed = true;
      }
      if (changed) {
        next.updated_at = now;
        await updateSet(tx, next);
        await audit.append(tx, actorOf(p), {
          action,
          targetType: 'affected_set',
          targetId: id,
          before: { name: row.name, version: Number(row.version), customerCount: Number(row.customer_count) },
          after: { name: next.name, version: next.version, customerCount: next.customer_count, definition: def },
          incidents: [row.incident_id],
        });
      }
      return { row: next, ref, changed };
    });
    if (out.changed) await syncImpact(p, out.ref);
    return view(store.db, out.row, out.ref);
  }

  return {
    /**
     * The customers of a set's version (default: its current one), a page at a time in id order — for
     * campaigns and owner assignment, which check the caller's access to the incident themselves. Null
     * when there is no such set (or version), or it belongs to another incident than `incidentId`.
     */
    async customerIds(
      db: Db,
      q: { setId: string; version?: number; incidentId?: string; after: string | null; limit: number },
    ): Promise<string[] | null> {
      const row = await setById(db, q.setId);
      if (!row || (q.incidentId !== undefined && row.incident_id !== q.incidentId)) return null;
      const version = q.version ?? Number(row.version);
      if (version < 1 || version > Number(row.version)) return null;
      return memberCustomerIds(db, row.id, version, q.after, q.limit);
    },

    async list(p: Principal, key: string) {
      assertCan(p, 'scoping.read');
      const ref = await visibleIncident(store.db, p, key);
      const rows = await setsOfIncident(store.db, ref.id);
      const names = await users.namesOf(rows.flatMap((r) => (r.created_by ? [r.created_by] : [])));
      return { items: rows.map((r) => toSetSummary(r, ref.key, names)) };
    },

    /** Creates a set and evaluates its definition (version 1). */
    async create(p: Principal, key: string, input: AffectedSetCreate) {
      assertCan(p, 'scoping.manage');
      const lap = laps();
      await flushActivity();
      lap('flush');
      const out = await store.transaction(async (tx) => {
        const ref = await visibleIncident(tx, p, key);
        const now = clock.now();
        const id = newId();
        lap('begin');
        const count = await evaluate(tx, ref.id, input.definition, { setId: id, version: 1 });
        lap('members');
        const row: SetRow = {
          id,
          incident_id: ref.id,
          name: input.name,
          version: 1,
          customer_count: count,
          is_primary: 0,
          created_by: p.user.id,
          created_at: now,
          updated_at: now,
        };
        await insertSet(tx, row);
        if (input.primary) {
          await makePrimary(tx, ref.id, row.id);
          row.is_primary = 1;
        }
        await insertVersion(tx, versionRow(p, id, 1, input.definition, count, now));
        await audit.append(tx, actorOf(p), {
          action: 'affected_set.create',
          targetType: 'affected_set',
          targetId: row.id,
          after: { name: row.name, version: 1, customerCount: row.customer_count, definition: input.definition },
          incidents: [ref.id],
        });
        lap('rows');
        return { row, ref };
      });
      lap('commit');
      await syncImpact(p, out.ref);
      lap('impact');
      const shown = await view(store.db, out.row, out.ref);
      lap('view');
      return shown;
    },

    async get(p: Principal, id: string, version?: number) {
      assertCan(p, 'scoping.read');
      const { row, ref } = await load(store.db, p, id);
      return view(store.db, row, ref, version);
    },

    /** Members of a version (default: the current one) in a stable order, a page at a time. */
    async members(p: Principal, id: string, q: { version?: number; limit: number; cursor?: string }) {
      assertCan(p, 'scoping.read');
      const { row } = await load(store.db, p, id);
      const version = q.version ?? Number(row.version);
      const v = await versionOf(store.db, id, version);
      if (!v) throw notFound(`version ${version} of affected-customer set ${id}`);
      const after = q.cursor ? cursor.decode(q.cursor)[0] : null;
      const rows = await membersPage(store.db, id, version, after, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        version,
        total: Number(v.customer_count),
        items: await membersOf(store.db, page),
        next: rows.length > q.limit ? cursor.encode([page[page.length - 1]!.member_key]) : null,
      };
    },

    /** A new definition (and name / primary): evaluated into a new version when anything differs. */
    update(p: Principal, id: string, input: AffectedSetUpdate) {
      assertCan(p, 'scoping.manage');
      return revise(p, id, { def: input.definition, name: input.name, primary: input.primary }, 'affected_set.update');
    },

    /** The same definition evaluated again: a new version only when the members changed. */
    refresh(p: Principal, id: string) {
      assertCan(p, 'scoping.manage');
      return revise(p, id, {}, 'affected_set.refresh');
    },

    /** Members added and removed from version `from` to version `to`. */
    async diff(p: Principal, id: string, from: number, to: number) {
      assertCan(p, 'scoping.read');
      await load(store.db, p, id);
      for (const [v, path] of [
        [from, 'from'],
        [to, 'to'],
      ] as const)
        if (!(await versionOf(store.db, id, v)))
          throw invalid(`affected-customer set ${id} has no version ${v}`, [
            { path: `query.${path}`, message: 'no such version' },
          ]);
      const added = await membersNotIn(store.db, id, to, from, DIFF_LIMIT);
      const removed = await membersNotIn(store.db, id, from, to, DIFF_LIMIT);
      return {
        from,
        to,
        addedCount: added.count,
        removedCount: removed.count,
        added: await membersOf(store.db, added.rows),
        removed: await membersOf(store.db, removed.rows),
      };
    },
  };
}

export type AffectedSetService = ReturnType<typeof createAffectedSetService>;
