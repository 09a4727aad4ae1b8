/** The bundled ATT&CK catalogue loads and reads Sigma tags. */
import { describe, expect, it } from 'vitest';
import { ATTACK_VERSION, attackCatalog, attackTags } from './attack-catalog.js';

describe('the bundled ATT&CK catalogue', () => {
  const c = attackCatalog();

  it('has the enterprise techniques of the pinned version, revoked and deprecated ones left out', () => {
    expect(c.version).toBe(ATTACK_VERSION);
    expect(c.techniques.length).toBeGreaterThan(600);
    expect(c.technique('T1110.004')).toMatchObject({
      name: 'Credential Stuffing',
      tactics: ['credential-access'],
      url: 'https://attack.mitre.org/techniques/T1110/004',
    });
    expect(c.technique('t1078')?.name).toBe('Valid Accounts');
    // T1064 Scripting is deprecated in ATT&CK.
    expect(c.technique('T1064')).toBeUndefined();
  });

  it('has the 14 tactics in the matrix order, with their Chinese names', () => {
    expect(c.tactics.map((t) => t.shortname)).toEqual([
      'reconnaissance',
      'resource-development',
      'initial-access',
      'execution',
      'persistence',
      'privilege-escalation',
      'defense-evasion',
      'credential-access',
      'discovery',
      'lateral-movement',
      'collection',
      'command-and-control',
      'exfiltration',
      'impact',
    ]);
    expect(c.tactic('credential-access')).toMatchObject({ id: 'TA0006', nameZh: '凭证访问' });
  });

  it('searches by id (the exact one first) and by name', () => {
    expect(c.search('T1110', 5)[0]!.id).toBe('T1110');
    expect(c.search('t1110', 10).map((t) => t.id)).toContain('T1110.004');
    expect(c.search('credential stuffing', 5).map((t) => t.id)).toEqual(['T1110.004']);
    expect(c.search('', 3)).toHaveLength(3);
  });

  it('reads techniques and tactics from Sigma tags, ignoring other tags', () => {
    expect(
      attackTags(['attack.t1110.004', 'attack.credential_access', 'ATTACK.T1078', 'cve.2021-44228', 'attack.g0016']),
    ).toEqual({ techniques: ['T1110.004', 'T1078'], tactics: ['credential-access'] });
  });
});
