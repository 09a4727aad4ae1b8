/**
 * The rumor-vs-fact register: entries per incident or site-wide. Every change writes a new version
 * (who, when, the entry as it was after it) and an audit entry in the same transaction; publishing or
 * withdrawing a rebuttal, or changing a published one, tells the public site to re-render after the commit.
 */
import type { FactEntry, FactEntryCreate, FactEntryPatch, FactEntryVersion } from '../../../shared/media-schemas.js';
import type { AuditAction } from '../../../shared/audit-actions.js';
import type { Db } from '../../platform/db/types.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import {
  type FactRow,
  factById,
  allFacts,
  factsOf,
  factVersions,
  insertFact,
  insertFactVersion,
  updateFact,
} from './fact.repository.js';
import type { MediaContext, MediaDeps } from './media-context.js';
import { factData, toFactEntry, toFactVersion } from './media.mapper.js';

type Change = FactEntryVersion['change'];
const ACTION: Record<Change, AuditAction> = {
  create: 'fact.create',
  update: 'fact.update',
  publish: 'fact.publish',
  unpublish: 'fact.unpublish',
};

export function createFactService(deps: MediaDeps, ctx: MediaContext) {
  const { store, audit, clock, users } = deps;
  const missing = (id: string) => ctx.notFoundAs(`fact check ${id}`);

  async function view(db: Db, row: FactRow, ref: IncidentRef | null): Promise<FactEntry> {
    const names = await users.namesOf(row.updated_by ? [row.updated_by] : [], db);
    return toFactEntry(row, ref?.key ?? null, names);
  }

  /** The entry and its incident, if the principal may see them (else 404). */
  async function load(db: Db, p: Principal, id: string): Promise<{ row: FactRow; ref: IncidentRef | null }> {
    const row = await factById(db, id);
    if (!row) throw missing(id)();
    return { row, ref: await ctx.incidentOfRecord(db, p, row.incident_id, missing(id)) };
  }

  /** Writes the version, the audit entry and the events of a change (in `tx`). */
  async function record(
    tx: Db,
    p: Principal,
    change: Change,
    before: FactRow | null,
    after: FactRow,
    ref: IncidentRef | null,
  ) {
    await insertFactVersion(tx, {
      fact_check_id: after.id,
      version: after.version,
      change,
      data: JSON.stringify(factData(after)),
      changed_by: p.user.id,
      changed_at: after.updated_at,
    });
    await audit.append(tx, actorOf(p), {
      action: ACTION[change],
      targetType: 'fact_check',
      targetId: after.id,
      before: before ? { version: before.version, ...factData(before) } : undefined,
      after: { version: after.version, ...factData(after) },
      incidents: [after.incident_id],
    });
    const publicChange = before?.published === 1 || after.published === 1;
    ctx.announce(tx, ref, publicChange);
  }

  return {
    /** An incident's entries (`key` null: the site-wide ones), newest first. */
    async list(p: Principal, key: string | null): Promise<{ items: FactEntry[] }> {
      assertCan(p, 'media.read');
      const ref = key === null ? null : await ctx.visibleIncident(store.db, p, key);
      const rows = await factsOf(store.db, ref?.id ?? null);
      const names = await users.namesOf(rows.flatMap((r) => (r.updated_by ? [r.updated_by] : [])));
      return { items: rows.map((r) => toFactEntry(r, ref?.key ?? null, names)) };
    },

    /** The whole register the principal may see: site-wide entries and those of visible incidents. */
    async listAll(p: Principal, q: { verdict?: FactEntry['verdict'] }): Promise<{ items: FactEntry[] }> {
      assertCan(p, 'media.read');
      const rows = await allFacts(store.db, {
        viewerId: p.user.role === 'admin' ? undefined : p.user.id,
        verdict: q.verdict,
      });
      const keys = await ctx.keysOf(
        store.db,
        rows.flatMap((r) => (r.incident_id ? [r.incident_id] : [])),
      );
      const names = await users.namesOf(rows.flatMap((r) => (r.updated_by ? [r.updated_by] : [])));
      return {
        items: rows.map((r) => toFactEntry(r, r.incident_id ? (keys.get(r.incident_id) ?? null) : null, names)),
      };
    },

    async get(p: Principal, id: string): Promise<FactEntry> {
      assertCan(p, 'media.read');
      const { row, ref } = await load(store.db, p, id);
      return view(store.db, row, ref);
    },

    /** Every version of an entry, newest first. */
    async versions(p: Principal, id: string): Promise<{ items: FactEntryVersion[] }> {
      assertCan(p, 'media.read');
      await load(store.db, p, id);
      const rows = await factVersions(store.db, id);
      const names = await users.namesOf(rows.flatMap((r) => (r.changed_by ? [r.changed_by] : [])));
      return { items: rows.map((r) => toFactVersion(r, names)) };
    },

    async create(p: Principal, key: string | null, input: FactEntryCreate): Promise<FactEntry> {
      assertCan(p, 'media.manage');
      return store.transaction(async (tx) => {
        const ref = key === null ? null : await ctx.visibleIncident(tx, p, key);
        const now = clock.now();
        const row: FactRow = {
          id: newId(),
          incident_id: ref?.id ?? null,
          claim_zh: input.claim.zh,
          claim_en: input.claim.en,
          source: input.source || null,
          verdict: input.verdict,
          rebuttal_zh: input.rebuttal.zh,
          rebuttal_en: input.rebuttal.en,
          evidence_url: input.evidenceUrl,
          published: input.published ? 1 : 0,
          published_at: input.published ? now : null,
          version: 1,
          created_by: p.user.id,
          created_at: now,
          updated_by: p.user.id,
          updated_at: now,
        };
        await insertFact(tx, row);
        await record(tx, p, 'create', null, row, ref);
        return view(tx, row, ref);
      });
    },

    /** Changes an entry: a new version, unless nothing changed (then the entry as it is). */
    async update(p: Principal, id: string, patch: FactEntryPatch): Promise<FactEntry> {
      assertCan(p, 'media.manage');
      return store.transaction(async (tx) => {
        const { row: before, ref } = await load(tx, p, id);
        const now = clock.now();
        const next: FactRow = {
          ...before,
          claim_zh: patch.claim?.zh ?? before.claim_zh,
          claim_en: patch.claim?.en ?? before.claim_en,
          source: patch.source === undefined ? before.source : patch.source || null,
          verdict: patch.verdict ?? before.verdict,
          rebuttal_zh: patch.rebuttal?.zh ?? before.rebuttal_zh,
          rebuttal_en: patch.rebuttal?.en ?? before.rebuttal_en,
          evidence_url: patch.evidenceUrl === undefined ? before.evidence_url : patch.evidenceUrl,
          published: patch.published === undefined ? before.published : patch.published ? 1 : 0,
        };
        if (JSON.stringify(factData(next)) === JSON.stringify(factData(before))) return view(tx, before, ref);
        const change: Change =
          next.published === before.published ? 'update' : next.published === 1 ? 'publish' : 'unpublish';
        const after: FactRow = {
          ...next,
          published_at: change === 'publish' ? now : before.published_at,
          version: Number(before.version) + 1,
          updated_by: p.user.id,
          updated_at: now,
        };
        await updateFact(tx, after);
        await record(tx, p, change, before, after, ref);
        return view(tx, after, ref);
      });
    },
  };
}

export type FactService = ReturnType<typeof createFactService>;
