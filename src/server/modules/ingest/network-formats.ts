/**
 * Collector formats for network traffic, mapped to Sigma log sources and field names so SigmaHQ's
 * rules and our own apply: Zeek conn.log JSON, goflow2 and pmacct flow JSON, firewall logs.
 * Every connection gets the firewall taxonomy's names (src_ip, src_port, dst_ip, dst_port, protocol)
 * and Sysmon's network_connection names (SourceIp, SourcePort, DestinationIp, DestinationPort, Protocol);
 * the collector's own fields stay too (SigmaHQ's Zeek rules use Zeek's names: id.orig_h, id.resp_p ...).
 */
import type { IngestFormat } from '../../platform/ingest-sources.js';
import type { LogSource } from '../detection/index.js';
import { parseIso, parseTime } from './event-time.js';
import { fieldValue } from '../../../shared/event-fields.js';
import { firstOf, isObject } from './field-paths.js';

export interface FormatResult {
  fields: Record<string, unknown>;
  logsource: LogSource;
  /** Time the format read from its own fields (epoch ms); undefined when it has none. */
  time?: number;
}

export interface Format {
  /** The field holding the source's event id (re-sending is idempotent), or null. */
  idField: string | null;
  map(obj: Record<string, unknown>): FormatResult;
}

const IP_PROTOCOLS: Record<number, string> = {
  1: 'icmp',
  2: 'igmp',
  6: 'tcp',
  17: 'udp',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6-icmp',
  89: 'ospf',
  132: 'sctp',
};

function protocolName(v: unknown): string | undefined {
  if (typeof v === 'number') return IP_PROTOCOLS[v] ?? String(v);
  if (typeof v !== 'string' || v === '') return undefined;
  return /^\d+$/.test(v) ? (IP_PROTOCOLS[Number(v)] ?? v) : v.toLowerCase();
}

function port(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,5}$/.test(v)) return Number(v);
  return undefined;
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

interface Connection {
  srcIp?: unknown;
  srcPort?: unknown;
  dstIp?: unknown;
  dstPort?: unknown;
  protocol?: unknown;
}

/** Adds the Sigma names of a connection's endpoints; a name the record already has is left alone. */
function addConnection(fields: Record<string, unknown>, c: Connection): void {
  const set = (names: string[], v: unknown) => {
    if (v === undefined) return;
    for (const n of names) if (fields[n] === undefined) fields[n] = v;
  };
  set(['src_ip', 'SourceIp'], text(c.srcIp));
  set(['src_port', 'SourcePort'], port(c.srcPort));
  set(['dst_ip', 'DestinationIp'], text(c.dstIp));
  set(['dst_port', 'DestinationPort'], port(c.dstPort));
  set(['protocol', 'Protocol'], protocolName(c.protocol));
}

function firstTime(
  obj: Record<string, unknown>,
  candidates: [string, (v: unknown) => number | null][],
): number | undefined {
  for (const [name, read] of candidates) {
    const v = fieldValue(obj, name);
    if (v === undefined || v === null || v === '') continue;
    const t = read(v);
    if (t !== null) return t;
  }
  return undefined;
}

const nanos = (v: unknown) =>
  parseTime(typeof v === 'string' ? Number(v) / 1e6 : typeof v === 'number' ? v / 1e6 : null, 'epoch_ms');
const seconds = (v: unknown) => parseTime(v, 'epoch_s');
const millis = (v: unknown) => parseTime(v, 'epoch_ms');
/** pmacct prints "2024-03-01 09:30:00.123456" (UTC with timestamps_utc) or epoch seconds (timestamps_since_epoch). */
const pmacctTime = (v: unknown) => (typeof v === 'string' && !/^\d+(\.\d+)?$/.test(v) ? parseIso(v) : seconds(v));

/** Zeek conn.log (JSON writer): dotted keys `id.orig_h` or, from some shippers, a nested `id` object. */
const zeekConn: Format = {
  idField: 'uid',
  map(obj) {
    const fields = obj;
    const id = fields.id;
    if (isObject(id)) {
      for (const [k, v] of Object.entries(id)) if (fields[`id.${k}`] === undefined) fields[`id.${k}`] = v;
      delete fields.id;
    }
    addConnection(fields, {
      srcIp: fields['id.orig_h'],
      srcPort: fields['id.orig_p'],
      dstIp: fields['id.resp_h'],
      dstPort: fields['id.resp_p'],
      protocol: fields.proto,
    });
    const ts = fields.ts;
    return {
      fields,
      logsource: { product: 'zeek', service: 'conn', category: 'network_connection' },
      time: firstTime(fields, [['ts', typeof ts === 'number' ? seconds : (v) => parseTime(v, 'auto')]]),
    };
  },
};

/** goflow2's JSON: snake_case (v2: src_addr, time_flow_start_ns) or CamelCase (v1: SrcAddr, TimeFlowStart). */
const goflow2: Format = {
  idField: null,
  map(obj) {
    addConnection(obj, {
      srcIp: firstOf(obj, ['src_addr', 'SrcAddr']),
      srcPort: firstOf(obj, ['src_port', 'SrcPort']),
      dstIp: firstOf(obj, ['dst_addr', 'DstAddr']),
      dstPort: firstOf(obj, ['dst_port', 'DstPort']),
      protocol: firstOf(obj, ['proto', 'Proto']),
    });
    if (obj.bytes === undefined && obj.Bytes !== undefined) obj.bytes = obj.Bytes;
    if (obj.packets === undefined && obj.Packets !== undefined) obj.packets = obj.Packets;
    const time = firstTime(obj, [
      ['time_flow_start_ns', nanos],
      ['TimeFlowStartNs', nanos],
      ['TimeFlowStartMs', millis],
      ['TimeFlowStart', seconds],
      ['time_received_ns', nanos],
      ['TimeReceivedNs', nanos],
      ['TimeReceived', seconds],
    ]);
    return { fields: obj, logsource: { category: 'network_connection' }, time };
  },
};

/** pmacct (nfacctd, sfacctd, pmacctd) JSON output: ip_src, port_dst, ip_proto, timestamp_start ... */
const pmacct: Format = {
  idField: null,
  map(obj) {
    addConnection(obj, {
      srcIp: obj.ip_src,
      srcPort: obj.port_src,
      dstIp: obj.ip_dst,
      dstPort: obj.port_dst,
      protocol: obj.ip_proto,
    });
    const time = firstTime(obj, [
      ['timestamp_start', pmacctTime],
      ['timestamp_arrival', pmacctTime],
      ['stamp_updated', pmacctTime],
      ['stamp_inserted', pmacctTime],
    ]);
    return { fields: obj, logsource: { category: 'network_connection' }, time };
  },
};

const KV = /([A-Za-z_][\w.-]{0,63})=("(?:[^"\\]|\\.)*"|\S*)/g;

/** key=value pairs of a log line (iptables `SRC=... DPT=...`, FortiGate `srcip=... action="deny"`). */
export function keyValues(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(KV)) {
    const [, k, raw = ''] = m;
    if (k === undefined || k === '__proto__' || k in out) continue;
    out[k] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return out;
}

/** A firewall log as JSON, or a line of key=value pairs in `message`: common names to Sigma's firewall names. */
const firewall: Format = {
  idField: 'id',
  map(obj) {
    const msg = obj.message ?? obj.msg;
    if (typeof msg === 'string' && msg.includes('=')) {
      for (const [k, v] of Object.entries(keyValues(msg))) if (obj[k] === undefined) obj[k] = v;
    }
    addConnection(obj, {
      srcIp: firstOf(obj, ['src_ip', 'srcip', 'src', 'source_ip', 'SourceIp', 'source.ip', 'saddr', 'SRC']),
      srcPort: firstOf(obj, ['src_port', 'srcport', 'sport', 'source_port', 'SourcePort', 'source.port', 'spt', 'SPT']),
      dstIp: firstOf(obj, [
        'dst_ip',
        'dstip',
        'dst',
        'dest_ip',
        'destination_ip',
        'DestinationIp',
        'destination.ip',
        'daddr',
        'DST',
      ]),
      dstPort: firstOf(obj, [
        'dst_port',
        'dstport',
        'dport',
        'dest_port',
        'destination_port',
        'DestinationPort',
        'destination.port',
        'dpt',
        'DPT',
      ]),
      protocol: firstOf(obj, ['protocol', 'proto', 'transport', 'network.transport', 'PROTO']),
    });
    const action = firstOf(obj, ['action', 'act', 'disposition', 'event.action']);
    if (obj.action === undefined && action !== undefined) obj.action = action;
    const user = firstOf(obj, ['username', 'user', 'usrName', 'suser', 'user.name']);
    if (obj.username === undefined && typeof user === 'string') obj.username = user;
    return { fields: obj, logsource: { category: 'firewall' } };
  },
};

const json: Format = { idField: 'id', map: (obj) => ({ fields: obj, logsource: {} }) };

/** Every format a source may name in its `format` option. */
export const FORMATS: Record<IngestFormat, Format> = { json, 'zeek-conn': zeekConn, goflow2, pmacct, firewall };
