/**
 * IOCs of an incident (issue 15, docs/iocs.md): listed, entered by analysts, changed (confidence, TLP,
 * description), revoked, extracted from the incident's alerts' events (idempotent: a value already kept
 * only widens its first/last seen), imported from a STIX bundle, and exported as STIX 2.1 and MISP.
 * Need-to-know: a restricted incident's IOCs answer 404 to those outside it. Every change is audited.
 */
import type { Incident } from '../../../shared/incident-schemas.js';
import type { Ioc, IocType, Tlp } from '../../../shared/ioc-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import type { IncidentEvent } from '../alert/index.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import { insertIoc, iocById, iocByValue, type IocRow, iocsOfIncident, updateIoc } from './ioc.repository.js';
import { iocsOfFields, normalizeIoc } from './ioc-values.js';
import { mispEvent } from './misp.js';
import { incidentBundle } from './stix.js';
import { importBundle, type ImportResult } from './stix-import.js';

export interface IocDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  /** The kept events of an incident's alerts (the alert module's port). */
  alertEvents: (db: Db, incidentId: string, limit: number) => Promise<IncidentEvent[]>;
  /** The firm's name in exports (the STIX identity, the MISP organisation). */
  firmName: string;
}

/** Events read by one extraction at most. */
const MAX_EVENTS = 5000;
/** IOCs one incident keeps at most (extraction and import stop there). */
export const MAX_IOCS_PER_INCIDENT = 10_000;

export const iocView = (r: IocRow, incidentKey: string): Ioc => ({
  id: r.id,
  incidentKey,
  type: r.type as IocType,
  value: r.value,
  confidence: r.confidence,
  tlp: r.tlp as Tlp,
  source: r.source as Ioc['source'],
  alertId: r.alert_id,
  description: r.description,
  firstSeen: iso(Number(r.first_seen)),
  lastSeen: iso(Number(r.last_seen)),
  createdBy: r.created_by,
  createdAt: iso(Number(r.created_at)),
  updatedAt: iso(Number(r.updated_at)),
  revoked: r.revoked === 1,
});

export function createIocService(deps: IocDeps) {
  const { store, audit, clock, incidents } = deps;

  async function loadIoc(p: Principal, key: string, id: string): Promise<{ incident: Incident; row: IocRow }> {
    const incident = await incidents.loadVisible(store.db, p, key);
    const row = await iocById(store.db, id);
    if (!row || row.incident_id !== incident.id) throw notFound(`IOC ${id}`);
    return { incident, row };
  }

  const newRow = (incidentId: string, now: number, r: Partial<IocRow> & Pick<IocRow, 'type' | 'value'>): IocRow => ({
    id: newId(),
    incident_id: incidentId,
    confidence: 50,
    tlp: 'amber',
    source: 'analyst',
    alert_id: null,
    description: '',
    first_seen: now,
    last_seen: now,
    created_by: null,
    created_at: now,
    updated_at: now,
    revoked: 0,
    ...r,
  });

  return {
    async list(p: Principal, key: string, q: { revoked?: 'true' | 'false' } = {}): Promise<Ioc[]> {
      assertCan(p, 'ioc.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const rows = await iocsOfIncident(store.db, incident.id);
      const want = q.revoked === undefined ? null : q.revoked === 'true' ? 1 : 0;
      return rows.filter((r) => want === null || r.revoked === want).map((r) => iocView(r, incident.key));
    },

    async create(
      p: Principal,
      key: string,
      input: { type: IocType; value: string; confidence: number; tlp: Tlp; description: string },
    ): Promise<Ioc> {
      assertCan(p, 'ioc.manage');
      const incident = await incidents.loadVisible(store.db, p, key);
      const value = normalizeIoc(input.type, input.value);
      if (!value)
        throw invalid(`"${input.value.slice(0, 100)}" is not a valid ${input.type}`, [
          { path: 'body.value', message: `not a valid ${input.type}`, code: 'invalid_value' },
        ]);
      const now = clock.now();
      const row = newRow(incident.id, now, {
        type: input.type,
        value,
        confidence: input.confidence,
        tlp: input.tlp,
        description: input.description,
        created_by: p.user.id,
      });
      await store.transaction(async (tx) => {
        if (await iocByValue(tx, incident.id, input.type, value))
          throw conflict(`the incident already has the ${input.type} IOC ${value}`);
        await insertIoc(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'ioc.create',
          targetType: 'ioc',
          targetId: row.id,
          after: { type: row.type, value: row.value, confidence: row.confidence, tlp: row.tlp },
          incidents: [incident.id],
        });
      });
      return iocView(row, incident.key);
    },

    async update(
      p: Principal,
      key: string,
      id: string,
      input: { confidence?: number; tlp?: Tlp; description?: string },
    ): Promise<Ioc> {
      assertCan(p, 'ioc.manage');
      const { incident, row } = await loadIoc(p, key, id);
      if (row.revoked) throw conflict(`IOC ${id} is revoked`);
      const set: Partial<IocRow> = { ...input, updated_at: Math.max(clock.now(), Number(row.updated_at) + 1) };
      await store.transaction(async (tx) => {
        await updateIoc(tx, id, set);
        await audit.append(tx, actorOf(p), {
          action: 'ioc.update',
          targetType: 'ioc',
          targetId: id,
          before: { confidence: row.confidence, tlp: row.tlp, description: row.description },
          after: input,
          incidents: [incident.id],
        });
      });
      return iocView({ ...row, ...set }, incident.key);
    },

    async revoke(p: Principal, key: string, id: string, reason: string): Promise<Ioc> {
      assertCan(p, 'ioc.manage');
      const { incident, row } = await loadIoc(p, key, id);
      if (row.revoked) return iocView(row, incident.key);
      const set = { revoked: 1, updated_at: Math.max(clock.now(), Number(row.updated_at) + 1) };
      await store.transaction(async (tx) => {
        await updateIoc(tx, id, set);
        await audit.append(tx, actorOf(p), {
          action: 'ioc.revoke',
          targetType: 'ioc',
          targetId: id,
          before: { revoked: false },
          after: { revoked: true, reason },
          incidents: [incident.id],
        });
      });
      return iocView({ ...row, ...set }, incident.key);
    },

    /** Reads the incident's alerts' events and keeps every IOC found (see the module's doc). */
    async extract(p: Principal, key: string): Promise<{ created: number; seen: number; items: Ioc[] }> {
      assertCan(p, 'ioc.manage');
      const incident = await incidents.loadVisible(store.db, p, key);
      const found = new Map<string, { type: IocType; value: string; alertId: string; first: number; last: number }>();
      for (const e of await deps.alertEvents(store.db, incident.id, MAX_EVENTS))
        for (const f of iocsOfFields(e.fields)) {
          const k = `${f.type} ${f.value}`;
          const had = found.get(k);
          if (had) {
            had.first = Math.min(had.first, e.time);
            had.last = Math.max(had.last, e.time);
          } else found.set(k, { ...f, alertId: e.alertId, first: e.time, last: e.time });
        }
      const now = clock.now();
      const created: IocRow[] = [];
      await store.transaction(async (tx) => {
        const kept = new Map((await iocsOfIncident(tx, incident.id)).map((r) => [`${r.type} ${r.value}`, r]));
        for (const [k, f] of found) {
          const had = kept.get(k);
          if (had) {
            const first = Math.min(Number(had.first_seen), f.first);
            const last = Math.max(Number(had.last_seen), f.last);
            if (first !== Number(had.first_seen) || last !== Number(had.last_seen))
              await updateIoc(tx, had.id, { first_seen: first, last_seen: last });
            continue;
          }
          if (kept.size + created.length >= MAX_IOCS_PER_INCIDENT) break;
          const row = newRow(incident.id, now, {
            type: f.type,
            value: f.value,
            source: 'alert',
            alert_id: f.alertId,
            confidence: f.type === 'account' ? 40 : 60,
            first_seen: f.first,
            last_seen: f.last,
            created_by: p.user.id,
          });
          await insertIoc(tx, row);
          created.push(row);
        }
        if (created.length)
          await audit.append(tx, actorOf(p), {
            action: 'ioc.extract',
            targetType: 'incident',
            targetId: incident.id,
            after: { created: created.length, ids: created.slice(0, 200).map((r) => r.id) },
            incidents: [incident.id],
          });
      });
      return { created: created.length, seen: found.size, items: created.map((r) => iocView(r, incident.key)) };
    },

    /** Imports a STIX bundle's simple indicators as IOCs of the incident (stix-import.ts). */
    async importStix(p: Principal, key: string, bundle: unknown): Promise<ImportResult> {
      assertCan(p, 'ioc.manage');
      const incident = await incidents.loadVisible(store.db, p, key);
      return importBundle({ store, audit, clock }, p, incident.id, bundle, (now, r) => newRow(incident.id, now, r));
    },

    /** The incident's STIX 2.1 bundle (stix.ts). */
    async stix(p: Principal, key: string) {
      assertCan(p, 'ioc.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const rows = await iocsOfIncident(store.db, incident.id);
      await exported(p, incident, 'stix', rows.length);
      return incidentBundle(incident, rows, deps.firmName);
    },

    /** The incident's MISP event (misp.ts). */
    async misp(p: Principal, key: string) {
      assertCan(p, 'ioc.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const rows = await iocsOfIncident(store.db, incident.id);
      await exported(p, incident, 'misp', rows.length);
      return mispEvent(incident, rows, deps.firmName);
    },
  };

  /** An export for sharing outside is recorded (who took which incident's IOCs, in which format). */
  async function exported(p: Principal, incident: Incident, format: string, count: number): Promise<void> {
    await store.transaction((tx) =>
      audit.append(tx, actorOf(p), {
        action: 'ioc.export',
        targetType: 'incident',
        targetId: incident.id,
        after: { format, iocs: count },
        incidents: [incident.id],
      }),
    );
  }
}

export type IocService = ReturnType<typeof createIocService>;
