/**
 * The entities one event names and how they are linked: accounts (trading and application accounts) and
 * users (directory users of Windows/ECS fields), source and destination addresses, the device, hosts,
 * files (hashes, else paths), domains, URLs and e-mail addresses; an account logged in (or acted) from
 * its source address and used its device, the device was seen at the address, accounts and files on the
 * host, a URL in its domain, a domain resolved to the destination address; anything else in the event is
 * linked to the event's first account (else host, else address) as `same_event`.
 */
import { ACTION_FIELDS, DEVICE_FIELDS, normalizeAction } from '../../../shared/activity-fields.js';
import { ACCOUNT_FIELDS, fieldValue, HOST_FIELDS, IP_FIELDS } from '../../../shared/event-fields.js';
import { iocsOfFields } from '../ioc/index.js';
import { canonicalIp, type GraphBuilder } from './graph-builder.js';

/** Account fields that name a directory or operating-system user rather than a business account. */
const USER_FIELDS = new Set([
  'User',
  'UserName',
  'Username',
  'TargetUserName',
  'SubjectUserName',
  'AccountName',
  'TargetUser',
  'SamAccountName',
  'UserPrincipalName',
  'user.name',
  'user.target.name',
  'source.user.name',
  'destination.user.name',
  'client.user.name',
]);
const DESTINATION_IP_FIELDS = new Set([
  'dst_ip',
  'DestinationIp',
  'DestinationIP',
  'DestinationAddress',
  'DestAddress',
  'DstAddr',
  'dst',
  's-ip',
  'destination.ip',
  'server.ip',
  'id.resp_h',
  'host.ip',
]);
const FILE_PATH_FIELDS = [
  'Image',
  'TargetFilename',
  'ImageLoaded',
  'file.path',
  'process.executable',
  'FilePath',
  'file_path',
];

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' && Number.isFinite(v)) return [String(v)];
  if (Array.isArray(v)) return v.slice(0, 20).filter((x): x is string => typeof x === 'string');
  return [];
}

function firstString(fields: Record<string, unknown>, names: readonly string[]): string | null {
  for (const n of names) for (const s of strings(fieldValue(fields, n))) if (s.trim()) return s.trim();
  return null;
}

export interface EventInput {
  alertId?: string;
  time: number;
  fields: Record<string, unknown>;
}

/** Adds the event's entities and links to `g`; returns the ids of the nodes it names. */
export function addEvent(g: GraphBuilder, e: EventInput): string[] {
  const f = e.fields;
  const seen = { first: e.time, alertId: e.alertId };
  const link = { first: e.time };
  const ids = new Set<string>();
  const add = (type: Parameters<GraphBuilder['node']>[0], raw: string) => {
    const id = g.node(type, raw, seen);
    if (id) ids.add(id);
    return id;
  };
  const accounts: string[] = [];
  for (const name of ACCOUNT_FIELDS)
    for (const s of strings(fieldValue(f, name))) {
      const id = add(USER_FIELDS.has(name) ? 'user' : 'account', s);
      if (id && !accounts.includes(id)) accounts.push(id);
    }
  const src: string[] = [];
  const dst: string[] = [];
  for (const name of IP_FIELDS)
    for (const s of strings(fieldValue(f, name))) {
      const id = add('ip', s);
      if (id) (DESTINATION_IP_FIELDS.has(name) ? dst : src).push(id);
    }
  const hosts: string[] = [];
  for (const name of HOST_FIELDS)
    for (const s of strings(fieldValue(f, name))) {
      // syslog's "host" is often an address: file it where it belongs.
      if (canonicalIp(s)) {
        const id = add('ip', s);
        if (id) src.push(id);
      } else {
        const id = add('host', s);
        if (id) hosts.push(id);
      }
    }
  const deviceRaw = firstString(f, DEVICE_FIELDS);
  const device = deviceRaw ? add('device', deviceRaw.slice(0, 200)) : null;

  const files: string[] = [];
  const domains: string[] = [];
  const urls: string[] = [];
  const emails: string[] = [];
  const accountValues = new Set(accounts.map((id) => id.slice(id.indexOf(':') + 1).toLowerCase()));
  for (const found of iocsOfFields(f)) {
    if (found.type === 'sha256' || found.type === 'sha1' || found.type === 'md5') {
      const id = add('file', found.value);
      if (id) files.push(id);
    } else if (found.type === 'domain') {
      const id = add('domain', found.value);
      if (id) domains.push(id);
    } else if (found.type === 'url') {
      const id = add('url', found.value);
      if (id) urls.push(id);
    } else if (found.type === 'email' && !accountValues.has(found.value)) {
      const id = add('email', found.value);
      if (id) emails.push(id);
    } else if (found.type === 'ipv4' || found.type === 'ipv6') {
      const id = add('ip', found.value);
      if (id && !src.includes(id) && !dst.includes(id)) src.push(id);
    }
  }
  if (files.length === 0)
    for (const name of FILE_PATH_FIELDS)
      for (const s of strings(fieldValue(f, name))) {
        const id = add('file', s);
        if (id) files.push(id);
      }

  const uniq = (xs: string[]) => [...new Set(xs)];
  const srcIps = uniq(src);
  const dstIps = uniq(dst).filter((id) => !srcIps.includes(id));
  const login = normalizeAction(firstString(f, ACTION_FIELDS)) === 'login' || /^46(24|25)$/.test(String(f.EventID));
  for (const a of accounts) {
    for (const ip of srcIps) g.edge(a, ip, login ? 'logged_in_from' : 'acted_from', link);
    if (device) g.edge(a, device, 'used_device', link);
    for (const h of hosts) g.edge(a, h, 'on_host', link);
  }
  if (device) for (const ip of srcIps) g.edge(device, ip, 'seen_at', link);
  for (const file of files) for (const h of hosts) g.edge(file, h, 'on_host', link);
  for (const u of urls) {
    const host = new URL(u.slice(4)).hostname;
    for (const d of domains) if (d === `domain:${host}`) g.edge(u, d, 'in_domain', link);
  }
  for (const d of domains) for (const ip of dstIps) g.edge(d, ip, 'resolved_to', link);

  const anchor = accounts[0] ?? hosts[0] ?? srcIps[0] ?? [...ids][0];
  if (anchor)
    for (const id of ids)
      if (id !== anchor && !g.linked(anchor, id) && !linkedAny(g, id, ids)) g.edge(anchor, id, 'same_event', link);
  return [...ids];
}

/** Whether `id` is linked to any other node of this event. */
function linkedAny(g: GraphBuilder, id: string, ids: Set<string>): boolean {
  for (const other of ids) if (other !== id && g.linked(other, id)) return true;
  return false;
}
