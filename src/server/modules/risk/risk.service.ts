/**
 * The risk register (issue 16, docs/risk.md): risks scored likelihood × impact with a level, owner,
 * status, review date, linked incidents (keys the writer may see; 422 otherwise) and vulnerabilities
 * (text ids, no foreign key), residual ratings after treatment. Every change is audited and kept in the
 * risk's history (field -> [before, after]); an update names the version it read (409 when stale).
 * Treatments (action items, source kind `risk`) are another module's: a `treatments` list joins the
 * risk's view when it exists.
 */
import {
  LEVEL_RANGES,
  type Risk,
  type RiskChange,
  type RiskDetail,
  type RiskHeatMap,
  type RiskInput,
  type RiskListQuery,
  type RiskUpdate,
  riskLevel,
} from '../../../shared/risk-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { AppError, conflict, type FieldError, invalid, notFound } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import { localDay } from '../../platform/zoned-time.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import {
  findRisk,
  findRiskBySeq,
  heatCounts,
  historyOf,
  incidentIdsOf,
  insertRisk,
  insertRiskHistory,
  listRisks,
  nextRiskSeq,
  type RiskRow,
  setRiskIncidents,
  updateRisk,
} from './risk.repository.js';

export interface RiskDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
  /** The firm's time zone: the day a review falls due. */
  timeZone: string;
}

/** The fields a risk's history follows, as the API names them. */
type Tracked = Omit<RiskInput, never>;
const TRACKED: (keyof Tracked)[] = [
  'title',
  'description',
  'category',
  'likelihood',
  'impact',
  'ownerId',
  'status',
  'reviewOn',
  'incidentKeys',
  'vulnerabilityIds',
  'residualLikelihood',
  'residualImpact',
];

const keyOf = (seq: number) => `RISK-${String(seq).padStart(4, '0')}`;
const seqOfKey = (key: string) => (/^RISK-(\d+)$/i.test(key) ? Number(key.slice(5)) : null);
const parseIds = (text: string): string[] => {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function createRiskService(deps: RiskDeps) {
  const { store, audit, clock, incidents, users } = deps;
  const today = () => new Date(localDay(clock.now(), deps.timeZone) * 86_400_000).toISOString().slice(0, 10);

  async function views(db: Db, rows: RiskRow[]): Promise<Risk[]> {
    const links = await incidentIdsOf(
      db,
      rows.map((r) => r.id),
    );
    const refs = await incidents.refs(db, [...links.values()].flat());
    const names = await users.namesOf(
      rows.flatMap((r) => (r.owner_id ? [r.owner_id] : [])),
      db,
    );
    const day = today();
    return rows.map((r) => {
      const score = Number(r.likelihood) * Number(r.impact);
      const rl = r.residual_likelihood === null ? null : Number(r.residual_likelihood);
      const ri = r.residual_impact === null ? null : Number(r.residual_impact);
      const residualScore = rl !== null && ri !== null ? rl * ri : null;
      return {
        id: r.id,
        key: keyOf(Number(r.seq)),
        title: r.title,
        description: r.description,
        category: r.category as Risk['category'],
        likelihood: Number(r.likelihood),
        impact: Number(r.impact),
        score,
        level: riskLevel(score),
        residualLikelihood: rl,
        residualImpact: ri,
        residualScore,
        residualLevel: residualScore === null ? null : riskLevel(residualScore),
        owner: r.owner_id ? { id: r.owner_id, name: names.get(r.owner_id) ?? null } : null,
        status: r.status as Risk['status'],
        reviewOn: r.review_on,
        reviewDue: r.review_on !== null && r.review_on < day && r.status !== 'closed',
        incidentKeys: (links.get(r.id) ?? []).flatMap((id) => {
          const ref = refs.get(id);
          return ref ? [ref.key] : [];
        }),
        vulnerabilityIds: parseIds(r.vulnerability_ids),
        version: Number(r.version),
        createdAt: iso(Number(r.created_at)),
        updatedAt: iso(Number(r.updated_at)),
      };
    });
  }

  async function rowOf(db: Db, idOrKey: string): Promise<RiskRow> {
    const seq = seqOfKey(idOrKey);
    const row = seq !== null ? await findRiskBySeq(db, seq) : await findRisk(db, idOrKey);
    if (!row) throw notFound(`risk ${idOrKey}`);
    return row;
  }

  /** Incident ids of the keys (each one the writer may see), and that the owner is a user. */
  async function check(tx: Db, p: Principal, v: Tracked): Promise<string[]> {
    const errors: FieldError[] = [];
    const ids: string[] = [];
    for (const [i, key] of [...new Set(v.incidentKeys)].entries()) {
      try {
        ids.push((await incidents.loadVisible(tx, p, key)).id);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 404) throw err;
        errors.push({
          path: `body.incidentKeys.${i}`,
          message: `no incident ${key}`,
          code: 'unknown_incident',
          params: { key },
        });
      }
    }
    if (v.ownerId && !(await users.activeById(v.ownerId, tx)))
      errors.push({ path: 'body.ownerId', message: `no active user ${v.ownerId}`, code: 'unknown_user' });
    if ((v.residualLikelihood === null) !== (v.residualImpact === null))
      errors.push({
        path: 'body.residualImpact',
        message: 'give both residual likelihood and residual impact, or neither',
      });
    if (errors.length > 0)
      throw invalid(`the risk cannot be saved: ${errors.map((e) => e.message).join('; ')}`, errors);
    return ids;
  }

  const trackedOf = (r: Risk): Tracked =>
    Object.fromEntries(
      TRACKED.map((k) => [k, k === 'ownerId' ? (r.owner?.id ?? null) : r[k as keyof Risk]]),
    ) as Tracked;

  async function record(tx: Db, p: Principal, riskId: string, before: Tracked | null, after: Tracked) {
    const changes: Record<string, [unknown, unknown]> = {};
    for (const k of TRACKED) {
      const b = before ? before[k] : null;
      if (!before || !same(b, after[k])) changes[k] = [b, after[k]];
    }
    const actor = actorOf(p);
    await insertRiskHistory(tx, {
      id: newId(),
      risk_id: riskId,
      at: clock.now(),
      actor_id: actor.id,
      actor_label: actor.label,
      changes: JSON.stringify(changes),
    });
    return changes;
  }

  const detail = async (db: Db, row: RiskRow): Promise<RiskDetail> => {
    const [risk] = await views(db, [row]);
    const history: RiskChange[] = (await historyOf(db, row.id)).map((h) => ({
      at: iso(Number(h.at)),
      by: { id: h.actor_id, label: h.actor_label },
      changes: JSON.parse(h.changes),
    }));
    return { ...risk!, history };
  };

  return {
    async list(p: Principal, q: RiskListQuery): Promise<{ items: Risk[] }> {
      assertCan(p, 'risk.read');
      const rows = await listRisks(
        store.db,
        {
          status: q.status,
          notClosed: q.notClosed === 'true',
          category: q.category,
          ownerId: q.ownerId,
          scoreRange: q.level ? LEVEL_RANGES[q.level] : undefined,
          likelihood: q.likelihood,
          impact: q.impact,
          reviewBefore: q.reviewDue === 'true' ? today() : undefined,
          q: q.q,
        },
        1000,
      );
      return { items: await views(store.db, rows) };
    },

    async get(p: Principal, idOrKey: string): Promise<RiskDetail> {
      assertCan(p, 'risk.read');
      return detail(store.db, await rowOf(store.db, idOrKey));
    },

    async create(p: Principal, input: RiskInput): Promise<RiskDetail> {
      assertCan(p, 'risk.manage');
      return store.transaction(async (tx) => {
        const incidentIds = await check(tx, p, input);
        const now = clock.now();
        const row: RiskRow = {
          id: newId(),
          seq: await nextRiskSeq(tx),
          title: input.title,
          description: input.description,
          category: input.category,
          likelihood: input.likelihood,
          impact: input.impact,
          score: input.likelihood * input.impact,
          residual_likelihood: input.residualLikelihood,
          residual_impact: input.residualImpact,
          owner_id: input.ownerId,
          status: input.status,
          review_on: input.reviewOn,
          vulnerability_ids: JSON.stringify([...new Set(input.vulnerabilityIds)]),
          version: 1,
          created_by: p.user.id,
          created_at: now,
          updated_at: now,
        };
        await insertRisk(tx, row);
        await setRiskIncidents(tx, row.id, incidentIds);
        const out = await detail(tx, row);
        await record(tx, p, row.id, null, trackedOf(out));
        await audit.append(tx, actorOf(p), {
          action: 'risk.create',
          targetType: 'risk',
          targetId: row.id,
          after: trackedOf(out),
          incidents: incidentIds,
        });
        return detail(tx, row);
      });
    },

    async update(p: Principal, idOrKey: string, input: RiskUpdate): Promise<RiskDetail> {
      assertCan(p, 'risk.manage');
      return store.transaction(async (tx) => {
        const row = await rowOf(tx, idOrKey);
        if (Number(row.version) !== input.version)
          throw conflict(`the risk changed meanwhile (now version ${row.version}): reload it and edit again`, {
            code: 'risk.stale_version',
            params: { version: Number(row.version) },
          });
        const before = trackedOf((await views(tx, [row]))[0]!);
        const { version: _v, ...given } = input;
        const next: Tracked = { ...before };
        for (const [k, v] of Object.entries(given)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
        next.vulnerabilityIds = [...new Set(next.vulnerabilityIds)];
        const incidentIds = await check(tx, p, next);
        await updateRisk(tx, row.id, {
          title: next.title,
          description: next.description,
          category: next.category,
          likelihood: next.likelihood,
          impact: next.impact,
          score: next.likelihood * next.impact,
          residual_likelihood: next.residualLikelihood,
          residual_impact: next.residualImpact,
          owner_id: next.ownerId,
          status: next.status,
          review_on: next.reviewOn,
          vulnerability_ids: JSON.stringify(next.vulnerabilityIds),
          version: Number(row.version) + 1,
          updated_at: clock.now(),
        });
        await setRiskIncidents(tx, row.id, incidentIds);
        const after = trackedOf((await views(tx, [(await findRisk(tx, row.id))!]))[0]!);
        const changes = await record(tx, p, row.id, before, after);
        const pick = (t: Tracked) => Object.fromEntries(Object.keys(changes).map((k) => [k, t[k as keyof Tracked]]));
        await audit.append(tx, actorOf(p), {
          action: 'risk.update',
          targetType: 'risk',
          targetId: row.id,
          before: pick(before),
          after: pick(after),
          incidents: incidentIds,
        });
        return detail(tx, (await findRisk(tx, row.id))!);
      });
    },

    /** Counts per likelihood × impact cell (open, treating and accepted risks unless closed ones are asked for). */
    async heatMap(p: Principal, opts: { residual: boolean; includeClosed: boolean }): Promise<RiskHeatMap> {
      assertCan(p, 'risk.read');
      const rows = await heatCounts(store.db, opts.residual, opts.includeClosed);
      const cells = rows.map((r) => {
        const likelihood = Number(r.likelihood);
        const impact = Number(r.impact);
        return { likelihood, impact, count: Number(r.count), level: riskLevel(likelihood * impact) };
      });
      cells.sort((a, b) => a.likelihood - b.likelihood || a.impact - b.impact);
      return { residual: opts.residual, cells, total: cells.reduce((n, c) => n + c.count, 0) };
    },
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
