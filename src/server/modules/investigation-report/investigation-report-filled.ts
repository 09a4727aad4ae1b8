/**
 * The sections of an investigation report filled from the data when it is read: the attack timeline's
 * marks and key entries, the ATT&CK techniques in tactic order, the impact (services, affected sets'
 * customers, records), the evidence list with hashes and the IOCs. Each is read through its module's
 * service as the reader, so need-to-know and permissions hold; a section the reader may not read is
 * withheld (listed), not an error.
 */
import type { AttackTimeline } from '../../../shared/attack-timeline-schemas.js';
import type { EvidenceList } from '../../../shared/evidence-schemas.js';
import type { Incident } from '../../../shared/incident-schemas.js';
import type { IncidentAttack } from '../../../shared/investigation-schemas.js';
import type { FilledSections } from '../../../shared/investigation-report-schemas.js';
import type { Ioc } from '../../../shared/ioc-schemas.js';
import { AppError } from '../../platform/errors.js';
import type { Principal } from '../auth/index.js';

/** The other modules' reads the report is filled from (compose.ts wires their services). */
export interface ReportSources {
  timeline(p: Principal, key: string): Promise<AttackTimeline>;
  attack(p: Principal, key: string): Promise<IncidentAttack>;
  affectedSets(p: Principal, key: string): Promise<{ name: string; customerCount: number }[]>;
  evidence(p: Principal, key: string): Promise<EvidenceList>;
  iocs(p: Principal, key: string): Promise<Ioc[]>;
}

/** Key timeline entries kept in the report at most (the attack timeline has the rest). */
const TIMELINE_MAX = 200;
/** IOCs listed at most (all are counted). */
const IOC_MAX = 1000;

type Withheld = FilledSections['withheld'][number];

export async function fillSections(p: Principal, incident: Incident, src: ReportSources): Promise<FilledSections> {
  const withheld: Withheld[] = [];
  /** The section's data, or null when the reader lacks the permission to read it (403). */
  async function read<T>(name: Withheld, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError && err.status === 403) {
        withheld.push(name);
        return null;
      }
      throw err;
    }
  }
  const key = incident.key;
  const [timeline, attack, sets, evidence, iocs] = await Promise.all([
    read('timeline', () => src.timeline(p, key)),
    read('attackPath', () => src.attack(p, key)),
    read('impact', () => src.affectedSets(p, key)),
    read('evidence', () => src.evidence(p, key)),
    read('iocs', () => src.iocs(p, key)),
  ]);

  const attackPath: FilledSections['attackPath'] = [];
  if (attack)
    for (const t of attack.tactics) {
      const techniques = attack.techniques
        .filter((x) => x.tactics.includes(t.shortname))
        .map((x) => ({ id: x.id, name: x.name }));
      if (techniques.length) attackPath.push({ tactic: { id: t.id, name: t.name, nameZh: t.nameZh }, techniques });
    }

  const live = (iocs ?? []).filter((i) => !i.revoked);
  const counts: Record<string, number> = {};
  for (const i of live) counts[i.type] = (counts[i.type] ?? 0) + 1;

  return {
    timeline: {
      marks: timeline?.marks ?? { firstCompromise: null, detection: null, containment: null, recovery: null },
      items: (timeline?.items ?? [])
        .filter((i) => i.kind !== 'event')
        .slice(0, TIMELINE_MAX)
        // A war-room entry's title is its kind (`note`, `system`): the report shows what it says.
        .map((i) => ({
          at: i.at,
          kind: i.kind,
          title: (i.kind === 'note' || i.kind === 'status') && i.detail ? i.detail.slice(0, 500) : i.title,
        })),
    },
    attackPath,
    impact: {
      services: incident.services.map((s) => ({ key: s.key, nameZh: s.nameZh, nameEn: s.nameEn })),
      sets: (sets ?? []).map((s) => ({ name: s.name, customerCount: s.customerCount })),
      customersAffected: incident.impact.customersAffected,
      recordsExposed: incident.impact.recordsExposed,
    },
    evidence: (evidence?.items ?? []).map((e) => ({ name: e.fileName, sha256: e.sha256, md5: e.md5, bytes: e.bytes })),
    iocs: {
      counts,
      items: live.slice(0, IOC_MAX).map((i) => ({ type: i.type, value: i.value, tlp: i.tlp })),
    },
    withheld,
  };
}
