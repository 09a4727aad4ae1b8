/**
 * An incident's IOCs as a MISP event (the JSON of MISP's event REST API and its feeds): attributes by
 * type and category, `to_ids` for those fit for detection, the strictest TLP as the event's tag and
 * distribution. Revoked IOCs are left out. Uuids are UUIDv5 of Tocsin's ids (a second export is the same).
 */
import { v5 } from 'uuid';
import type { IocType, Tlp } from '../../../shared/ioc-schemas.js';
import type { IocRow } from './ioc.repository.js';
import { TLP_ORDER } from './stix.js';

const MISP_NS = '6f1d8b0e-3c2a-5d7e-8f90-1a2b3c4d5e6f';

/** MISP attribute type and category of each IOC type. */
export const MISP_TYPE: Record<IocType, { type: string; category: string }> = {
  ipv4: { type: 'ip-dst', category: 'Network activity' },
  ipv6: { type: 'ip-dst', category: 'Network activity' },
  domain: { type: 'domain', category: 'Network activity' },
  url: { type: 'url', category: 'Network activity' },
  sha256: { type: 'sha256', category: 'Payload delivery' },
  sha1: { type: 'sha1', category: 'Payload delivery' },
  md5: { type: 'md5', category: 'Payload delivery' },
  email: { type: 'email-src', category: 'Payload delivery' },
  account: { type: 'target-user', category: 'Targeting data' },
};

/** MISP distribution of a TLP: 0 your organisation only, 1 this community only, 3 all communities. */
const DISTRIBUTION: Record<Tlp, string> = { clear: '3', green: '1', amber: '0', 'amber+strict': '0', red: '0' };
/** MISP threat level of a grade (GB/T 20986: I the gravest): 1 high, 2 medium, 3 low. */
const THREAT_LEVEL: Record<string, string> = { I: '1', II: '1', III: '2', IV: '3' };

export interface IncidentForMisp {
  id: string;
  key: string;
  title: string;
  grade: string;
  status: string;
  createdAt: string;
}

/** IOCs below this confidence are not marked for detection (`to_ids`). */
const TO_IDS_MIN_CONFIDENCE = 50;

export function mispEvent(incident: IncidentForMisp, rows: IocRow[], orgName: string) {
  const live = rows.filter((r) => r.revoked === 0);
  const strictest = TLP_ORDER.filter((t) => live.some((r) => r.tlp === t)).at(-1) ?? 'amber';
  const closed = ['recovered', 'closed', 'false_positive'].includes(incident.status);
  return {
    Event: {
      uuid: v5(`event ${incident.id}`, MISP_NS),
      info: `${incident.key}: ${incident.title}`,
      date: incident.createdAt.slice(0, 10),
      threat_level_id: THREAT_LEVEL[incident.grade] ?? '2',
      analysis: closed ? '2' : '1',
      distribution: DISTRIBUTION[strictest],
      published: false,
      Orgc: { name: orgName },
      Attribute: live.map((r) => {
        const m = MISP_TYPE[r.type as IocType];
        return {
          uuid: v5(`attribute ${r.id}`, MISP_NS),
          type: m.type,
          category: m.category,
          value: r.value,
          to_ids: r.type !== 'account' && r.confidence >= TO_IDS_MIN_CONFIDENCE,
          comment: r.description,
          distribution: DISTRIBUTION[r.tlp as Tlp],
          first_seen: new Date(Number(r.first_seen)).toISOString(),
          last_seen: new Date(Number(r.last_seen)).toISOString(),
          Tag: [{ name: `tlp:${r.tlp}` }],
        };
      }),
      Tag: [{ name: `tlp:${strictest}` }],
    },
  };
}
