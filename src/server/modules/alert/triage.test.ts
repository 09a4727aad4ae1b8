import { describe, expect, it } from 'vitest';
import { correlationKeys, fingerprintOf, suggestCategory, suggestGrade } from './triage.js';

const base = {
  ruleId: 'r',
  ruleTitle: 'A rule',
  level: 'high' as const,
  tags: [] as string[],
  kind: 'detection' as const,
  logsources: [],
};

describe('category suggestion (GB/T 20986-2023)', () => {
  it.each([
    [['attack.credential_access', 'attack.t1110.004'], 'Credential stuffing on the trading login', 'network_attack'],
    [['attack.impact', 'attack.t1486'], 'Mass file renames', 'malicious_program'],
    [['attack.impact'], 'Possible ransomware activity', 'malicious_program'],
    [['attack.exfiltration', 'attack.t1567'], 'Upload to cloud storage', 'data_security'],
    [['attack.collection'], 'Bulk export from CRM by one account', 'data_security'],
    [['attack.impact', 'attack.t1498'], 'Traffic spike', 'network_attack'],
    [['attack.impact', 'attack.t1491.002'], 'Web defacement', 'information_content'],
    [['tocsin.availability'], 'Market data feed silence', 'equipment_failure'],
    [['tocsin.policy', 'attack.persistence'], 'Off-hours privileged account creation', 'rule_violation'],
    [['tocsin.category.force_majeure', 'attack.impact'], 'Data centre power loss', 'force_majeure'],
    [[], 'Order rejection rate spike', 'abnormal_behaviour'],
  ])('%j "%s" -> %s', (tags, ruleTitle, category) => {
    expect(suggestCategory({ ...base, tags, ruleTitle })).toBe(category);
  });

  it('calls an anomaly without telling tags abnormal behaviour, and reads the antivirus log source', () => {
    expect(suggestCategory({ ...base, kind: 'anomaly', ruleTitle: 'EWMA band: withdrawals' })).toBe(
      'abnormal_behaviour',
    );
    expect(suggestCategory({ ...base, logsources: [{ category: 'antivirus' }], ruleTitle: 'Detection' })).toBe(
      'malicious_program',
    );
  });
});

describe('grade suggestion', () => {
  it('maps level to grade and raises one step for trading impact', () => {
    expect(suggestGrade({ level: 'critical', tags: [], logsources: [] })).toBe('II');
    expect(suggestGrade({ level: 'critical', tags: ['tocsin.trading'], logsources: [] })).toBe('I');
    expect(suggestGrade({ level: 'high', tags: [], logsources: [] })).toBe('III');
    expect(suggestGrade({ level: 'high', tags: [], logsources: [{ product: 'trading_gateway' }] })).toBe('II');
    expect(suggestGrade({ level: 'medium', tags: [], logsources: [] })).toBe('IV');
    expect(suggestGrade({ level: 'medium', tags: ['tocsin.impact.trading'], logsources: [] })).toBe('III');
    expect(suggestGrade({ level: 'low', tags: ['tocsin.trading'], logsources: [] })).toBe('IV');
    expect(suggestGrade({ level: 'informational', tags: [], logsources: [] })).toBe('IV');
  });
});

describe('fingerprints and correlation keys', () => {
  const e = { accounts: ['alice'], hosts: ['ws-1'], ips: ['203.0.113.7'] };
  it('fingerprints rule + entities regardless of order, or rule + group-by values', () => {
    expect(fingerprintOf('r', e, undefined)).toBe(
      fingerprintOf('r', { accounts: ['alice'], hosts: ['ws-1'], ips: ['203.0.113.7'] }, undefined),
    );
    expect(fingerprintOf('r', e, undefined)).not.toBe(fingerprintOf('r2', e, undefined));
    expect(fingerprintOf('r', e, { src_ip: '1.2.3.4' })).toBe(
      fingerprintOf('r', { accounts: [], hosts: [], ips: [] }, { src_ip: '1.2.3.4' }),
    );
  });

  it('keys by distinctive accounts and IPs, else hosts, else group values, else the rule', () => {
    expect(correlationKeys('network_attack', 'r', e, undefined)).toEqual([
      'network_attack|account:alice',
      'network_attack|ip:203.0.113.7',
    ]);
    expect(
      correlationKeys('network_attack', 'r', { accounts: ['system', 'dc01$'], hosts: ['ws-1'], ips: [] }, undefined),
    ).toEqual(['network_attack|host:ws-1']);
    expect(
      correlationKeys(
        'abnormal_behaviour',
        'r',
        { accounts: [], hosts: [], ips: [] },
        { entities: { accounts: [], hosts: [], ips: [] }, raw: { topic: '无法登录' } },
      ),
    ).toEqual(['abnormal_behaviour|group:topic="无法登录"']);
    expect(
      correlationKeys('network_attack', 'r', e, {
        entities: { accounts: [], hosts: [], ips: ['198.51.100.1'] },
        raw: { src_ip: '198.51.100.1' },
      }),
    ).toEqual(['network_attack|ip:198.51.100.1']);
    expect(correlationKeys('other', 'r9', { accounts: [], hosts: [], ips: [] }, undefined)).toEqual(['other|rule:r9']);
  });
});
