import { describe, expect, it } from 'vitest';
import { entityMatcher, extractEntities, normalizeEntityRef, normalizeIp } from './entities.js';

describe('entity extraction', () => {
  it('reads Windows Security fields (4625)', () => {
    const e = extractEntities([
      {
        EventID: 4625,
        TargetUserName: 'Alice',
        SubjectUserName: '-',
        IpAddress: '::ffff:203.0.113.7',
        WorkstationName: 'WS-17',
        Computer: 'DC01.corp.example',
      },
    ]).toEntities();
    expect(e).toEqual({ accounts: ['alice'], hosts: ['dc01.corp.example', 'ws-17'], ips: ['203.0.113.7'] });
  });

  it('reads ECS fields, dotted or nested, and arrays', () => {
    const dotted = extractEntities([
      { 'user.name': 'bob', 'source.ip': '198.51.100.4', 'host.name': 'web-1', 'host.ip': ['10.0.0.5', 'fe80::1'] },
    ]).toEntities();
    const nested = extractEntities([
      { user: { name: 'bob' }, source: { ip: '198.51.100.4' }, host: { name: 'web-1', ip: ['10.0.0.5', 'fe80::1'] } },
    ]).toEntities();
    expect(dotted).toEqual({ accounts: ['bob'], hosts: ['web-1'], ips: ['198.51.100.4', '10.0.0.5', 'fe80::1'] });
    expect(nested).toEqual(dotted);
  });

  it('reads Sigma process creation, Zeek conn.log, flows and trading-app logs', () => {
    expect(
      extractEntities([
        { User: 'CORP\\svc-backup', CommandLine: 'vssadmin delete shadows', Hostname: 'FS02' },
      ]).toEntities(),
    ).toEqual({ accounts: ['corp\\svc-backup'], hosts: ['fs02'], ips: [] });
    expect(
      extractEntities([{ 'id.orig_h': '192.0.2.10', 'id.resp_h': '192.0.2.20', 'id.resp_p': 443 }]).toEntities().ips,
    ).toEqual(['192.0.2.10', '192.0.2.20']);
    expect(extractEntities([{ SrcAddr: '192.0.2.1', DstAddr: '2001:db8::1' }]).toEntities().ips).toEqual([
      '192.0.2.1',
      '2001:db8::1',
    ]);
    expect(extractEntities([{ fund_account: 310012345678, client_ip: '203.0.113.9:51234' }]).toEntities()).toEqual({
      accounts: ['310012345678'],
      hosts: [],
      ips: ['203.0.113.9'],
    });
  });

  it('files an address given as a host name under IPs, and drops placeholders, loopback and junk', () => {
    const e = extractEntities([
      { host: '192.0.2.33', src_ip: '127.0.0.1', dst_ip: 'not-an-ip', ClientIP: '0.0.0.0', User: 'N/A', Hostname: '-' },
    ]).toEntities();
    expect(e).toEqual({ accounts: [], hosts: [], ips: ['192.0.2.33'] });
    expect(normalizeIp('127.1')).toBeNull();
    expect(normalizeIp('[2001:db8::5]:443')).toBe('2001:db8::5');
  });

  it('keeps at most 20 values per kind and no repeats', () => {
    const events = Array.from({ length: 30 }, (_, i) => ({ TargetUserName: `u${i % 25}`, IpAddress: '203.0.113.7' }));
    const e = extractEntities(events).toEntities();
    expect(e.accounts).toHaveLength(20);
    expect(e.ips).toEqual(['203.0.113.7']);
  });

  it('reads business services only when they are catalog keys', () => {
    const set = extractEntities([{ 'service.name': 'online-trading', service: 'http' }], new Set(['online-trading']));
    expect([...set.services]).toEqual(['online-trading']);
  });

  it('normalizes and matches suppression entities, IP ranges included', () => {
    expect(normalizeEntityRef({ kind: 'account', value: ' Alice ' }, 'entity')).toEqual({
      kind: 'account',
      value: 'alice',
    });
    expect(normalizeEntityRef({ kind: 'ip', value: '::ffff:10.1.2.3' }, 'entity')).toEqual({
      kind: 'ip',
      value: '10.1.2.3',
    });
    expect(normalizeEntityRef({ kind: 'ip', value: '10.0.0.0/8' }, 'entity')).toEqual({
      kind: 'ip',
      value: '10.0.0.0/8',
    });
    expect(() => normalizeEntityRef({ kind: 'ip', value: '10.0.0/8' }, 'entity')).toThrow(/not an IP/);
    expect(() => normalizeEntityRef({ kind: 'ip', value: 'example.com' }, 'entity')).toThrow(/not an IP/);
    const inRange = entityMatcher({ kind: 'ip', value: '10.0.0.0/8' });
    expect(inRange({ accounts: [], hosts: [], ips: ['2001:db8::1', '10.9.8.7'] })).toBe(true);
    expect(inRange({ accounts: [], hosts: [], ips: ['11.0.0.1'] })).toBe(false);
    expect(entityMatcher({ kind: 'account', value: 'alice' })({ accounts: ['alice'], hosts: [], ips: [] })).toBe(true);
  });
});
