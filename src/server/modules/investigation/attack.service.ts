/**
 * An incident's ATT&CK techniques: the techniques its alerts' rules name in their tags, with what analysts
 * added (with a note) and removed; the ATT&CK Navigator layer of them; the catalogue search. Need-to-know:
 * a restricted incident answers 404 to those outside it. Changes are audited.
 */
import type { IncidentAttack, IncidentTechnique, NavigatorLayer } from '../../../shared/investigation-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { type Clock, iso } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { type AttackCatalog, attackTags } from './attack-catalog.js';
import { putTechnique, techniqueOf, techniquesOf } from './attack.repository.js';

export interface RuleTags {
  alertId: string;
  ruleId: string;
  ruleTitle: string;
  tags: string[];
}

export interface AttackDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  incidents: IncidentService;
  users: UserService;
  catalog: AttackCatalog;
  /** The rules and tags of an incident's alerts (the alert module). */
  ruleTags: (db: Db, incidentId: string) => Promise<RuleTags[]>;
}

const NAVIGATOR = { navigator: '5.1.0', layer: '4.5' };
const COLOR = { rule: '#e8833a', analyst: '#5b8def', both: '#c0392b' };

export function createAttackService(deps: AttackDeps) {
  const { store, clock, audit, incidents, users, catalog } = deps;

  function known(id: string) {
    const t = catalog.technique(id);
    if (!t)
      throw invalid(
        `${id} is not a technique of ATT&CK Enterprise ${catalog.version}`,
        [{ path: 'techniqueId', message: `unknown ATT&CK technique ${id}` }],
        { code: 'investigation.unknown_technique', params: { id, version: catalog.version } },
      );
    return t;
  }

  async function view(db: Db, incident: { id: string; key: string }): Promise<IncidentAttack> {
    const [alerts, rows] = await Promise.all([deps.ruleTags(db, incident.id), techniquesOf(db, incident.id)]);
    const fromRules = new Map<string, Map<string, { ruleTitle: string; alertIds: string[] }>>();
    const ruleTactics = new Set<string>();
    for (const a of alerts) {
      const { techniques, tactics } = attackTags(a.tags);
      for (const t of tactics) if (catalog.tactic(t)) ruleTactics.add(t);
      for (const id of techniques) {
        if (!catalog.technique(id)) continue;
        const rules = fromRules.get(id) ?? new Map<string, { ruleTitle: string; alertIds: string[] }>();
        const r = rules.get(a.ruleId) ?? { ruleTitle: a.ruleTitle, alertIds: [] };
        r.alertIds.push(a.alertId);
        rules.set(a.ruleId, r);
        fromRules.set(id, rules);
      }
    }
    const names = await users.namesOf(
      rows.flatMap((r) => [r.added_by, r.removed_by].filter((x): x is string => !!x)),
      db,
    );
    const person = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
    const analyst = new Map(
      rows.filter((r) => r.source === 'analyst' && r.removed_at === null).map((r) => [r.technique_id, r]),
    );
    const removed = rows.filter((r) => r.source === 'rule' && r.removed_at !== null);
    const hidden = new Set(removed.map((r) => r.technique_id));

    const ids = new Set([...[...fromRules.keys()].filter((id) => !hidden.has(id)), ...analyst.keys()]);
    const techniques: IncidentTechnique[] = [...ids]
      .map((id) => catalog.technique(id))
      .filter((t) => t !== undefined)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((t) => {
        const a = analyst.get(t.id);
        const rules = hidden.has(t.id) ? new Map() : (fromRules.get(t.id) ?? new Map());
        return {
          ...t,
          source: {
            rules: [...rules].map(([ruleId, r]) => ({ ruleId, ruleTitle: r.ruleTitle, alertIds: r.alertIds })),
            analyst: a ? { by: person(a.added_by), at: iso(a.added_at), note: a.note } : null,
          },
        };
      });
    return {
      incidentKey: incident.key,
      version: catalog.version,
      tactics: catalog.tactics.map(({ order: _o, ...t }) => t),
      techniques,
      removed: removed.map((r) => ({
        id: r.technique_id,
        name: catalog.technique(r.technique_id)?.name ?? r.technique_id,
        by: person(r.removed_by),
        at: iso(r.removed_at!),
        note: r.note,
      })),
      ruleTactics: [...ruleTactics].sort((a, b) => catalog.tactic(a)!.order - catalog.tactic(b)!.order),
    };
  }

  async function load(p: Principal, key: string) {
    assertCan(p, 'investigation.read');
    const incident = await incidents.loadVisible(store.db, p, key);
    return { incident, attack: await view(store.db, incident) };
  }

  return {
    search(p: Principal, q: string | undefined, limit: number) {
      assertCan(p, 'investigation.read');
      return { version: catalog.version, items: catalog.search(q, limit) };
    },

    async ofIncident(p: Principal, key: string): Promise<IncidentAttack> {
      return (await load(p, key)).attack;
    },

    /** An analyst names a technique (again: the note and time are renewed; a rule's removed technique returns). */
    async add(p: Principal, key: string, techniqueId: string, note?: string): Promise<IncidentAttack> {
      assertCan(p, 'investigation.manage');
      const t = known(techniqueId);
      return store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, key);
        const before = await techniqueOf(tx, incident.id, t.id);
        await putTechnique(tx, {
          incident_id: incident.id,
          technique_id: t.id,
          source: 'analyst',
          note: note ?? null,
          added_by: p.user.id,
          added_at: clock.now(),
          removed_by: null,
          removed_at: null,
        });
        await audit.append(tx, actorOf(p), {
          action: 'investigation.technique_add',
          targetType: 'incident',
          targetId: incident.key,
          before: before ? { technique: t.id, source: before.source, removed: before.removed_at !== null } : null,
          after: { technique: t.id, name: t.name, note: note ?? null },
          incidents: [incident.id],
        });
        return view(tx, incident);
      });
    },

    /** An analyst takes a technique off the incident (an addition, or one the rules named). */
    async remove(p: Principal, key: string, techniqueId: string, note?: string): Promise<IncidentAttack> {
      assertCan(p, 'investigation.manage');
      const t = known(techniqueId);
      return store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, key);
        const current = await view(tx, incident);
        const shown = current.techniques.find((x) => x.id === t.id);
        if (!shown) throw notFound(`technique ${t.id} of incident ${incident.key}`);
        const now = clock.now();
        await putTechnique(tx, {
          incident_id: incident.id,
          technique_id: t.id,
          // A rule's technique stays hidden by a `rule` row; an analyst's addition alone is simply ended.
          source: shown.source.rules.length ? 'rule' : 'analyst',
          note: note ?? null,
          added_by: p.user.id,
          added_at: now,
          removed_by: p.user.id,
          removed_at: now,
        });
        await audit.append(tx, actorOf(p), {
          action: 'investigation.technique_remove',
          targetType: 'incident',
          targetId: incident.key,
          before: { technique: t.id, rules: shown.source.rules.map((r) => r.ruleId), analyst: !!shown.source.analyst },
          after: { technique: t.id, note: note ?? null },
          incidents: [incident.id],
        });
        return view(tx, incident);
      });
    },

    /** The incident's techniques as an ATT&CK Navigator layer (format 4.5), one entry per technique and tactic. */
    async navigator(p: Principal, key: string): Promise<NavigatorLayer> {
      const { incident, attack } = await load(p, key);
      const techniques: NavigatorLayer['techniques'] = [];
      for (const t of attack.techniques) {
        const fromRules = t.source.rules.length > 0;
        const fromAnalyst = t.source.analyst !== null;
        const color = fromRules && fromAnalyst ? COLOR.both : fromRules ? COLOR.rule : COLOR.analyst;
        const said = [
          ...t.source.rules.map(
            (r) => `rule ${r.ruleTitle} (${r.alertIds.length} alert${r.alertIds.length === 1 ? '' : 's'})`,
          ),
          ...(t.source.analyst
            ? [`analyst ${t.source.analyst.by?.name ?? ''}${t.source.analyst.note ? `: ${t.source.analyst.note}` : ''}`]
            : []),
        ].join('; ');
        for (const tactic of t.tactics.length ? t.tactics : [undefined])
          techniques.push({
            techniqueID: t.id,
            ...(tactic ? { tactic } : {}),
            score: 1,
            color,
            comment: said,
            enabled: true,
          });
      }
      return {
        name: `${incident.key} ${incident.title}`.slice(0, 200),
        versions: { attack: catalog.version.split('.')[0]!, ...NAVIGATOR },
        domain: 'enterprise-attack',
        description: `ATT&CK techniques of incident ${incident.key} (Tocsin): from its alerts' rules and analysts`,
        techniques,
        gradient: { colors: ['#ffffff', '#e8833a'], minValue: 0, maxValue: 1 },
        legendItems: [
          { label: 'From detection rules', color: COLOR.rule },
          { label: 'Added by an analyst', color: COLOR.analyst },
          { label: 'Both', color: COLOR.both },
        ],
      };
    },
  };
}
export type AttackService = ReturnType<typeof createAttackService>;
