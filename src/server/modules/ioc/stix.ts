/**
 * An incident's IOCs as a STIX 2.1 bundle: the firm as an `identity`, one `indicator` per IOC (a STIX
 * pattern), for the IOCs alerts saw an `observed-data` with its SCO and a `sighting` linking the two,
 * the TLP 2.0 marking definitions used, and the incident as a `report` referring to everything. Ids are
 * UUIDv5 of Tocsin's ids (SCOs: of their id-contributing properties, as STIX 2.1 §2.9 says), and every
 * time comes from the store, so a second export of the same data is the same objects.
 */
import { v5 } from 'uuid';
import type { IocType, Tlp } from '../../../shared/ioc-schemas.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { iso } from '../../platform/ids.js';
import type { IocRow } from './ioc.repository.js';
import { stixPattern } from './ioc-values.js';

/** Tocsin's namespace of its STIX object ids (UUIDv5). */
const TOCSIN_NS = '1b0c3f62-5b4e-5b8e-9a53-7c2f0e6a9d41';
/** STIX 2.1's namespace of SCO ids. */
const SCO_NS = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** The TLP 2.0 marking definitions' extension (OASIS, stix2.1 TLP v2). */
const TLP_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP_CREATOR = 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01';

/** The standard ids of the STIX 2.1 TLP 2.0 marking definitions. */
export const TLP_MARKING: Record<Tlp, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** From the least to the most restrictive. */
export const TLP_ORDER: readonly Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export type StixObject = Record<string, unknown> & { type: string; id: string };

export function tlpMarkingDefinition(tlp: Tlp): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_MARKING[tlp],
    created_by_ref: TLP_CREATOR,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp.toUpperCase()}`,
    extensions: { [TLP_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}

const sid = (type: string, name: string) => `${type}--${v5(name, TOCSIN_NS)}`;

/** The firm as a STIX identity (one id for every export). */
export function firmIdentity(name: string): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: sid('identity', 'firm'),
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name,
    identity_class: 'organization',
    sectors: ['financial-services'],
  };
}

/** The SCO an IOC names, with its deterministic id. */
export function scoOf(type: IocType, value: string): StixObject {
  let sco: Record<string, unknown>;
  switch (type) {
    case 'ipv4':
      sco = { type: 'ipv4-addr', value };
      break;
    case 'ipv6':
      sco = { type: 'ipv6-addr', value };
      break;
    case 'domain':
      sco = { type: 'domain-name', value };
      break;
    case 'url':
      sco = { type: 'url', value };
      break;
    case 'email':
      sco = { type: 'email-addr', value };
      break;
    case 'account':
      sco = { type: 'user-account', account_login: value };
      break;
    default:
      sco = { type: 'file', hashes: { [type === 'sha256' ? 'SHA-256' : type === 'sha1' ? 'SHA-1' : 'MD5']: value } };
  }
  const { type: t, ...contributing } = sco;
  return {
    type: t as string,
    spec_version: '2.1',
    id: `${t}--${v5(canonicalJson(contributing), SCO_NS)}`,
    ...contributing,
  };
}

const INDICATOR_TYPE: Record<IocType, string> = {
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  domain: 'domain',
  url: 'URL',
  email: 'e-mail address',
  account: 'account',
  sha256: 'SHA-256',
  sha1: 'SHA-1',
  md5: 'MD5',
};

export interface IncidentForStix {
  id: string;
  key: string;
  title: string;
  summary: string;
  createdAt: string;
  updatedAt: string;
}

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** The indicator of one IOC. */
export function indicatorOf(row: IocRow, identityId: string, incidentKey: string): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: sid('indicator', row.id),
    created_by_ref: identityId,
    created: iso(Number(row.created_at)),
    modified: iso(Math.max(Number(row.updated_at), Number(row.created_at))),
    name: `${INDICATOR_TYPE[row.type as IocType]} ${row.value}`,
    ...(row.description ? { description: row.description } : {}),
    indicator_types: ['malicious-activity'],
    pattern: stixPattern(row.type as IocType, row.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: iso(Number(row.first_seen)),
    confidence: row.confidence,
    revoked: row.revoked === 1,
    labels: [`tocsin-incident:${incidentKey}`, `source:${row.source}`],
    object_marking_refs: [TLP_MARKING[row.tlp as Tlp]],
  };
}

/** The bundle of an incident's IOCs (see the module's doc). */
export function incidentBundle(incident: IncidentForStix, rows: IocRow[], firmName: string): StixBundle {
  const identity = firmIdentity(firmName);
  const objects: StixObject[] = [];
  const used = new Set<Tlp>();
  for (const row of rows) {
    const tlp = row.tlp as Tlp;
    used.add(tlp);
    const marking = [TLP_MARKING[tlp]];
    const indicator = indicatorOf(row, identity.id, incident.key);
    objects.push(indicator);
    if (!row.alert_id) continue;
    const sco = scoOf(row.type as IocType, row.value);
    const seenFrom = iso(Number(row.first_seen));
    const seenTo = iso(Math.max(Number(row.last_seen), Number(row.first_seen)));
    const observed: StixObject = {
      type: 'observed-data',
      spec_version: '2.1',
      id: sid('observed-data', row.id),
      created_by_ref: identity.id,
      created: iso(Number(row.created_at)),
      modified: iso(Number(row.created_at)),
      first_observed: seenFrom,
      last_observed: seenTo,
      number_observed: 1,
      object_refs: [sco.id],
      object_marking_refs: marking,
    };
    const sighting: StixObject = {
      type: 'sighting',
      spec_version: '2.1',
      id: sid('sighting', row.id),
      created_by_ref: identity.id,
      created: iso(Number(row.created_at)),
      modified: iso(Number(row.created_at)),
      first_seen: seenFrom,
      last_seen: seenTo,
      count: 1,
      sighting_of_ref: indicator.id,
      observed_data_refs: [observed.id],
      where_sighted_refs: [identity.id],
      object_marking_refs: marking,
    };
    if (!objects.some((o) => o.id === sco.id)) objects.push(sco);
    objects.push(observed, sighting);
  }
  const strictest = TLP_ORDER.filter((t) => used.has(t)).at(-1) ?? 'amber';
  used.add(strictest);
  const report: StixObject = {
    type: 'report',
    spec_version: '2.1',
    id: sid('report', incident.id),
    created_by_ref: identity.id,
    created: incident.createdAt,
    modified: iso(Math.max(Date.parse(incident.createdAt), Date.parse(incident.updatedAt))),
    name: `${incident.key}: ${incident.title}`,
    ...(incident.summary ? { description: incident.summary } : {}),
    report_types: ['threat-report'],
    published: incident.createdAt,
    object_refs: [identity.id, ...objects.map((o) => o.id)],
    labels: [`tocsin-incident:${incident.key}`],
    object_marking_refs: [TLP_MARKING[strictest]],
  };
  const markings = TLP_ORDER.filter((t) => used.has(t)).map(tlpMarkingDefinition);
  const all = [...markings, identity, report, ...objects];
  const version = rows.reduce((m, r) => Math.max(m, Number(r.updated_at)), 0);
  return {
    type: 'bundle',
    id: `bundle--${v5(`${incident.id} ${version} ${incident.updatedAt}`, TOCSIN_NS)}`,
    objects: all,
  };
}
