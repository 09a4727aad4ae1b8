import { describe, expect, it } from 'vitest';
import type { IngestSourceConfig } from '../../platform/ingest-sources.js';
import { parseIso, parseTime } from './event-time.js';
import { keyValues } from './network-formats.js';
import { normalizeEvent } from './normalize.js';

const ARRIVAL = Date.UTC(2026, 0, 5, 1, 2, 3);
const source = (over: Partial<IngestSourceConfig> = {}): IngestSourceConfig => ({
  name: 'test',
  logsource: {},
  format: 'json',
  timeFormat: 'auto',
  fieldMap: {},
  ...over,
});

function norm(obj: Record<string, unknown>, src = source()) {
  const r = normalizeEvent(structuredClone(obj), src, ARRIVAL);
  if ('reason' in r) throw new Error(r.reason);
  return r.event;
}

describe('event time', () => {
  it('reads the toISOString form directly as it reads any other ISO-8601 text', () => {
    expect(parseIso('2026-12-06T03:23:54.123Z')).toBe(Date.UTC(2026, 11, 6, 3, 23, 54, 123));
    const texts = [
      '2026-12-06T03:23:54.123Z',
      '1970-01-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2024-02-29T12:00:00.000Z',
      '2026-02-30T12:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-03-01T25:00:00.000Z',
      '2026-03-01T24:00:00.000Z',
      '2026-03-01T09:60:00.000Z',
      '2026-00-10T09:30:00.000Z',
    ];
    // A leading space takes the general path (the text is trimmed there): both must agree.
    for (const t of texts) expect(parseIso(t), t).toBe(parseIso(` ${t}`));
    expect(parseIso('2026-13-01T00:00:00.000Z')).toBeNull();
    expect(parseIso('1969-12-31T23:59:59.999Z')).toBeNull(); // before the epoch
  });

  it('reads ISO-8601 (a time without a zone is UTC) and epoch numbers', () => {
    expect(parseIso('2026-03-01T09:30:00Z')).toBe(Date.UTC(2026, 2, 1, 9, 30));
    expect(parseIso('2026-03-01T17:30:00+08:00')).toBe(Date.UTC(2026, 2, 1, 9, 30));
    expect(parseIso('2026-03-01T17:30:00.123456+0800')).toBe(Date.UTC(2026, 2, 1, 9, 30, 0, 123));
    expect(parseIso('2026-03-01 09:30:00.5')).toBe(Date.UTC(2026, 2, 1, 9, 30, 0, 500));
    expect(parseIso('2026-03-01')).toBe(Date.UTC(2026, 2, 1));
    for (const bad of ['yesterday', '2026-13-01T00:00:00Z', '2026-03-01T25:00:00Z', '1700000000000', ''])
      expect(parseIso(bad), bad).toBeNull();
    expect(parseTime(1_700_000_000_123, 'auto')).toBe(1_700_000_000_123);
    expect(parseTime('1700000000123', 'auto')).toBe(1_700_000_000_123);
    expect(parseTime(1_700_000_000.5, 'epoch_s')).toBe(1_700_000_000_500);
    expect(parseTime('1700000000', 'epoch_s')).toBe(1_700_000_000_000);
    expect(parseTime('2026-03-01T09:30:00Z', 'epoch_ms')).toBeNull();
    expect(parseTime(1_700_000_000_000, 'iso8601')).toBeNull();
    expect(parseTime(-5, 'auto')).toBeNull();
    expect(parseTime(Number.MAX_VALUE, 'auto')).toBeNull();
    expect(parseTime({ t: 1 }, 'auto')).toBeNull();
  });

  it('takes the event time from @timestamp, timestamp or time, else the arrival time', () => {
    expect(norm({ '@timestamp': '2026-03-01T09:30:00Z', timestamp: 1, time: 2 }).time).toBe(
      Date.UTC(2026, 2, 1, 9, 30),
    );
    expect(norm({ timestamp: 1_700_000_000_000, time: 2 }).time).toBe(1_700_000_000_000);
    expect(norm({ time: '2026-03-01T17:30:00+08:00' }).time).toBe(Date.UTC(2026, 2, 1, 9, 30));
    expect(norm({ msg: 'no time' }).time).toBe(ARRIVAL);
    expect(norm({ time: 'not a time' }).time).toBe(ARRIVAL);
  });

  it('reads the time field and format a source configures, dotted paths too', () => {
    const src = source({ timeField: 'meta.occurred', timeFormat: 'epoch_s' });
    expect(norm({ meta: { occurred: 1_700_000_000 }, '@timestamp': '2020-01-01T00:00:00Z' }, src).time).toBe(
      1_700_000_000_000,
    );
    expect(norm({ '@timestamp': '2020-01-01T00:00:00Z' }, src).time).toBe(ARRIVAL);
    expect(norm({ ts: '2026-03-01 09:30:00' }, source({ timeField: 'ts', timeFormat: 'iso8601' })).time).toBe(
      Date.UTC(2026, 2, 1, 9, 30),
    );
  });
});

describe('ids, log sources and field maps', () => {
  it("keeps the source's id, assigns one otherwise, and refuses an id that is not a string or integer", () => {
    const e = norm({ id: 'gw-1', a: 1 });
    expect(e.id).toBe('gw-1');
    expect(e.fields).toEqual({ a: 1 });
    expect(norm({ id: 42 }).id).toBe('42');
    expect(norm({ a: 1 }).id).toMatch(/^[0-9a-f-]{36}$/);
    for (const id of [{ x: 1 }, '', 'x'.repeat(201), 1.5, true, 'gw\u00001']) {
      expect(normalizeEvent({ id }, source(), ARRIVAL)).toEqual({
        reason: '"id" must be a string of 1–200 characters (no NUL) or an integer',
      });
    }
  });

  it("takes the log source from the source's configuration, overridden field by field by the event's own", () => {
    const src = source({ logsource: { product: 'trading', service: 'gateway' } });
    expect(norm({ a: 1 }, src).logsource).toEqual({ product: 'trading', service: 'gateway' });
    const own = norm(
      { logsource: { category: 'authentication', service: 'login', bogus: 'x', product: 5 }, a: 1 },
      src,
    );
    expect(own.logsource).toEqual({ product: 'trading', service: 'login', category: 'authentication' });
    expect(own.fields).toEqual({ a: 1 });
    // A logsource that is not an object is the event's own field.
    expect(norm({ logsource: 'kernel' }).fields).toEqual({ logsource: 'kernel' });
    expect(norm({ a: 1 }).source).toBe('test');
  });

  it("renames the firm's field names to Sigma's, nested ones by dotted path", () => {
    const src = source({
      logsource: { product: 'vpn', category: 'authentication' },
      fieldMap: { client_addr: 'src_ip', 'user.login': 'TargetUserName', result: 'EventOutcome', missing: 'Nowhere' },
    });
    const e = norm(
      { client_addr: '203.0.113.9', user: { login: 'zhang.san', dept: 'ops' }, result: 'failure', other: 1 },
      src,
    );
    expect(e.fields).toEqual({
      src_ip: '203.0.113.9',
      TargetUserName: 'zhang.san',
      user: { dept: 'ops' },
      EventOutcome: 'failure',
      other: 1,
    });
    expect(e.fields).not.toHaveProperty('Nowhere');
  });
});

describe('network traffic formats', () => {
  it("maps a Zeek conn.log record to zeek/conn with Zeek's and Sigma's field names", () => {
    const zeek = {
      ts: 1_591_367_999.305988,
      uid: 'CMdzit1AMNsmfAIiQc',
      'id.orig_h': '192.168.4.76',
      'id.orig_p': 36844,
      'id.resp_h': '192.168.4.1',
      'id.resp_p': 53,
      proto: 'udp',
      service: 'dns',
      duration: 0.066,
      orig_bytes: 62,
      resp_bytes: 141,
      conn_state: 'SF',
      history: 'Dd',
    };
    const e = norm(zeek, source({ format: 'zeek-conn' }));
    expect(e.id).toBe('CMdzit1AMNsmfAIiQc');
    expect(e.time).toBe(1_591_367_999_305);
    expect(e.logsource).toEqual({ product: 'zeek', service: 'conn', category: 'network_connection' });
    expect(e.fields).toMatchObject({
      'id.orig_h': '192.168.4.76',
      'id.resp_p': 53,
      uid: 'CMdzit1AMNsmfAIiQc',
      conn_state: 'SF',
      src_ip: '192.168.4.76',
      src_port: 36844,
      dst_ip: '192.168.4.1',
      dst_port: 53,
      protocol: 'udp',
      SourceIp: '192.168.4.76',
      DestinationIp: '192.168.4.1',
      DestinationPort: 53,
      Protocol: 'udp',
    });
    // Some shippers nest the connection id.
    const nested = norm(
      {
        ts: '2020-06-05T14:39:59.305988Z',
        uid: 'C1',
        id: { orig_h: '10.0.0.1', orig_p: 1, resp_h: '10.0.0.2', resp_p: 443 },
        proto: 'tcp',
      },
      source({ format: 'zeek-conn' }),
    );
    expect(nested.fields).toMatchObject({
      'id.orig_h': '10.0.0.1',
      'id.resp_p': 443,
      dst_port: 443,
      src_ip: '10.0.0.1',
    });
    expect(nested.fields).not.toHaveProperty('id');
    expect(nested.time).toBe(Date.UTC(2020, 5, 5, 14, 39, 59, 305));
  });

  it('maps goflow2 flows (v2 snake_case and v1 CamelCase) to network_connection', () => {
    const v2 = norm(
      {
        type: 'IPFIX',
        time_received_ns: 1_700_000_001_000_000_000,
        time_flow_start_ns: 1_700_000_000_000_000_000,
        bytes: 1500,
        packets: 3,
        src_addr: '198.51.100.7',
        dst_addr: '10.1.2.3',
        src_port: 51515,
        dst_port: 443,
        proto: 'TCP',
        sampler_address: '10.0.0.254',
      },
      source({ format: 'goflow2' }),
    );
    expect(v2.logsource).toEqual({ category: 'network_connection' });
    expect(v2.time).toBe(1_700_000_000_000);
    expect(v2.fields).toMatchObject({
      src_ip: '198.51.100.7',
      dst_ip: '10.1.2.3',
      src_port: 51515,
      dst_port: 443,
      protocol: 'tcp',
      bytes: 1500,
      packets: 3,
      DestinationPort: 443,
    });
    const v1 = norm(
      {
        Type: 'NETFLOW_V9',
        TimeFlowStart: 1_700_000_000,
        SrcAddr: '198.51.100.7',
        DstAddr: '10.1.2.3',
        SrcPort: 5,
        DstPort: 22,
        Proto: 6,
        Bytes: 40,
        Packets: 1,
      },
      source({ format: 'goflow2' }),
    );
    expect(v1.time).toBe(1_700_000_000_000);
    expect(v1.fields).toMatchObject({ src_ip: '198.51.100.7', dst_port: 22, protocol: 'tcp', bytes: 40, packets: 1 });
  });

  it('maps pmacct flows, with its "YYYY-MM-DD hh:mm:ss" UTC or epoch-second stamps', () => {
    const e = norm(
      {
        event_type: 'purge',
        ip_src: '203.0.113.5',
        ip_dst: '10.9.8.7',
        port_src: 40000,
        port_dst: 3389,
        ip_proto: 'tcp',
        tcp_flags: '24',
        timestamp_start: '2026-03-01 09:30:00.250000',
        timestamp_end: '2026-03-01 09:30:05.000000',
        packets: 10,
        bytes: 1200,
        peer_ip_src: '10.0.0.1',
      },
      source({ format: 'pmacct' }),
    );
    expect(e.time).toBe(Date.UTC(2026, 2, 1, 9, 30, 0, 250));
    expect(e.fields).toMatchObject({
      src_ip: '203.0.113.5',
      dst_ip: '10.9.8.7',
      dst_port: 3389,
      protocol: 'tcp',
      bytes: 1200,
    });
    expect(
      norm({ ip_src: '1.2.3.4', ip_proto: 17, timestamp_start: '1700000000.000000' }, source({ format: 'pmacct' })),
    ).toMatchObject({ time: 1_700_000_000_000, fields: { protocol: 'udp' } });
  });

  it("maps firewall logs, JSON or key=value text, to Sigma's firewall names", () => {
    const fortigate = norm(
      {
        message:
          'date=2026-03-01 srcip=198.51.100.23 srcport=50123 dstip=10.0.0.5 dstport=3306 proto=6 action="deny" user="li.si"',
      },
      source({ format: 'firewall' }),
    );
    expect(fortigate.logsource).toEqual({ category: 'firewall' });
    expect(fortigate.fields).toMatchObject({
      src_ip: '198.51.100.23',
      src_port: 50123,
      dst_ip: '10.0.0.5',
      dst_port: 3306,
      protocol: 'tcp',
      action: 'deny',
      username: 'li.si',
    });
    const iptables = norm(
      { message: 'DROP IN=eth0 OUT= SRC=203.0.113.66 DST=10.0.0.1 LEN=60 PROTO=TCP SPT=4444 DPT=23 WINDOW=29200' },
      source({ format: 'firewall' }),
    );
    expect(iptables.fields).toMatchObject({
      src_ip: '203.0.113.66',
      dst_ip: '10.0.0.1',
      src_port: 4444,
      dst_port: 23,
      protocol: 'tcp',
    });
    const json = norm(
      { src: '10.1.1.1', dst: '10.2.2.2', dport: '8080', act: 'accept', blocked: 'false' },
      source({ format: 'firewall', logsource: { product: 'asa' } }),
    );
    expect(json.logsource).toEqual({ category: 'firewall', product: 'asa' });
    expect(json.fields).toMatchObject({
      src_ip: '10.1.1.1',
      dst_ip: '10.2.2.2',
      dst_port: 8080,
      action: 'accept',
      blocked: 'false',
    });
    // The record's own Sigma-named fields win over synonyms.
    expect(norm({ dst_port: 21, dport: 80 }, source({ format: 'firewall' })).fields.dst_port).toBe(21);
  });

  it('parses key=value text without being fooled by quotes or __proto__', () => {
    expect(keyValues('a=1 b="two words" c="esc\\"aped" __proto__=x d= a=dup')).toEqual({
      a: '1',
      b: 'two words',
      c: 'esc"aped',
      d: '',
    });
  });
});
