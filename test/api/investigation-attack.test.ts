/**
 * ATT&CK mapping of an incident over HTTP, on each store: the techniques its alerts' rules name in their
 * tags (with the rule and alerts), an analyst's addition and removal (audited, with a note), an unknown
 * technique refused, the ATT&CK Navigator layer, the catalogue search, and need-to-know (a restricted
 * incident answers 404 to those outside it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentAttack, NavigatorLayer } from '../../src/shared/investigation-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

describe.each(STORE_KINDS)('ATT&CK mapping of incidents (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  let responder: Session;
  let auditor: Session;
  let comms: Session;
  let key = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    responder = await t.login('responder');
    auditor = await t.login('auditor');
    comms = await t.login('communications');
    const created = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Account takeover', category: 'other', grade: 'III', commanderId: ic.userId },
    });
    expect(created.statusCode, created.body).toBe(201);
    key = created.json().key;
    for (const ruleId of ['stuffing-rule', 'stuffing-rule', 'login-rule']) {
      const raised = await buildAlert(t.s, {
        ruleId,
        ruleTitle: ruleId === 'login-rule' ? 'Login from a new country' : 'Credential stuffing',
        tags:
          ruleId === 'login-rule'
            ? ['attack.t1078', 'attack.initial_access']
            : ['attack.t1110.004', 'attack.credential_access'],
        events: [{ id: `${ruleId}-${Math.random()}`, time: t.s.clock.now(), source: 'api', logsource: {}, fields: {} }],
      });
      const link = await t.as(ic, {
        method: 'POST',
        url: `/api/v1/alerts/${raised.alertId}/link`,
        payload: { incidentKey: key },
      });
      expect(link.statusCode, link.body).toBeLessThan(300);
    }
  });
  afterAll(() => t.close());

  const attackOf = async (who: Session = auditor): Promise<IncidentAttack> => {
    const r = await t.as(who, { method: 'GET', url: `/api/v1/incidents/${key}/attack` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const auditOf = async (action: string) =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/audit?action=${action}` })).json().items as {
      targetId: string;
      after: Record<string, unknown>;
    }[];

  it('maps the techniques its alerts’ rules name, with the rule and its alerts, and the tactics', async () => {
    const a = await attackOf();
    expect(a.version).toBe('18.1');
    expect(a.tactics).toHaveLength(14);
    expect(a.techniques.map((x) => x.id)).toEqual(['T1078', 'T1110.004']);
    const stuffing = a.techniques.find((x) => x.id === 'T1110.004')!;
    expect(stuffing).toMatchObject({ name: 'Credential Stuffing', tactics: ['credential-access'] });
    expect(stuffing.source.analyst).toBeNull();
    expect(stuffing.source.rules).toHaveLength(1);
    expect(stuffing.source.rules[0]).toMatchObject({ ruleId: 'stuffing-rule', ruleTitle: 'Credential stuffing' });
    expect(stuffing.source.rules[0]!.alertIds.length).toBeGreaterThanOrEqual(1);
    expect(a.ruleTactics).toEqual(['initial-access', 'credential-access']);
  });

  it('lets an analyst add a technique with a note and take one off (audited); refuses an unknown id', async () => {
    const denied = await t.as(comms, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/attack`,
      payload: { techniqueId: 'T1539' },
    });
    expect(denied.statusCode).toBe(403);
    const unknown = expectProblem(
      await t.as(responder, {
        method: 'POST',
        url: `/api/v1/incidents/${key}/attack`,
        payload: { techniqueId: 'T9999' },
      }),
      422,
    );
    expect(unknown.detail).toContain('T9999 is not a technique of ATT&CK Enterprise 18.1');
    const malformed = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/attack`,
      payload: { techniqueId: 'credential stuffing' },
    });
    expect(malformed.statusCode).toBe(400);

    const added = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/attack`,
      payload: { techniqueId: 't1539', note: 'Session cookies taken from the victims’ browsers' },
    });
    expect(added.statusCode, added.body).toBe(200);
    const cookie = (added.json() as IncidentAttack).techniques.find((x) => x.id === 'T1539')!;
    expect(cookie.name).toBe('Steal Web Session Cookie');
    expect(cookie.source.rules).toEqual([]);
    expect(cookie.source.analyst).toMatchObject({
      by: { id: responder.userId },
      note: 'Session cookies taken from the victims’ browsers',
    });

    // A rule's technique the analyst judges wrong: off the list, kept under `removed` with the note.
    const off = await t.as(responder, {
      method: 'DELETE',
      url: `/api/v1/incidents/${key}/attack/T1078?note=${encodeURIComponent('The logins used stuffed passwords')}`,
    });
    expect(off.statusCode, off.body).toBe(200);
    const after = await attackOf();
    expect(after.techniques.map((x) => x.id)).toEqual(['T1110.004', 'T1539']);
    expect(after.removed).toMatchObject([
      { id: 'T1078', name: 'Valid Accounts', by: { id: responder.userId }, note: 'The logins used stuffed passwords' },
    ]);
    // Removing what is not there is 404; the analyst's own addition can be taken off too.
    expect((await t.as(responder, { method: 'DELETE', url: `/api/v1/incidents/${key}/attack/T1078` })).statusCode).toBe(
      404,
    );
    await t.as(responder, { method: 'DELETE', url: `/api/v1/incidents/${key}/attack/T1539` });
    expect((await attackOf()).techniques.map((x) => x.id)).toEqual(['T1110.004']);
    // Adding a removed rule technique back brings it back with both sources.
    await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${key}/attack`, payload: { techniqueId: 'T1078' } });
    const back = (await attackOf()).techniques.find((x) => x.id === 'T1078')!;
    expect(back.source.rules.map((r) => r.ruleId)).toEqual(['login-rule']);
    expect(back.source.analyst?.by?.id).toBe(ic.userId);

    expect((await auditOf('investigation.technique_add')).map((e) => [e.targetId, e.after.technique])).toEqual([
      [key, 'T1078'],
      [key, 'T1539'],
    ]);
    expect((await auditOf('investigation.technique_remove')).map((e) => e.after.technique)).toEqual(['T1539', 'T1078']);
  });

  it('exports an ATT&CK Navigator layer (format 4.5) of the techniques', async () => {
    const r = await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${key}/attack/navigator` });
    expect(r.statusCode, r.body).toBe(200);
    const layer = r.json() as NavigatorLayer;
    for (const k of ['name', 'versions', 'domain', 'techniques']) expect(layer).toHaveProperty(k);
    expect(layer.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.name).toContain(key);
    const byId = Object.fromEntries(layer.techniques.map((x) => [`${x.techniqueID}/${x.tactic}`, x]));
    expect(Object.keys(byId).sort()).toEqual([
      'T1078/defense-evasion',
      'T1078/initial-access',
      'T1078/persistence',
      'T1078/privilege-escalation',
      'T1110.004/credential-access',
    ]);
    for (const x of layer.techniques) {
      expect(typeof x.score).toBe('number');
      expect(x.color).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(byId['T1110.004/credential-access']!.comment).toContain('Credential stuffing');
  });

  it('searches the catalogue for the picker', async () => {
    const r = await t.as(responder, { method: 'GET', url: '/api/v1/attack/techniques?q=stuffing' });
    expect(r.statusCode).toBe(200);
    expect(r.json().items.map((x: { id: string }) => x.id)).toEqual(['T1110.004']);
    expect((await t.as(comms, { method: 'GET', url: '/api/v1/attack/techniques?q=T1110' })).statusCode).toBe(403);
  });

  it('answers 404 about a restricted incident to those outside it', async () => {
    const hidden = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Insider', category: 'other', grade: 'IV', commanderId: ic.userId, restricted: true },
    });
    expect(hidden.statusCode, hidden.body).toBe(201);
    const k = hidden.json().key as string;
    expect((await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${k}/attack` })).statusCode).toBe(200);
    for (const url of [`/api/v1/incidents/${k}/attack`, `/api/v1/incidents/${k}/attack/navigator`])
      expect((await t.as(auditor, { method: 'GET', url })).statusCode).toBe(404);
    const add = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${k}/attack`,
      payload: { techniqueId: 'T1078' },
    });
    expect(add.statusCode).toBe(404);
  });
});
