/**
 * Issue 15, "feed the IOCs back into detection": an incident's IOCs become Sigma rules (uploaded, audited,
 * on the rules page); a later event naming one of them — in a field the extraction never saw — raises an
 * alert that joins the incident; regenerating replaces the rules; revoked IOCs and accounts stay out unless
 * asked; a responder may not write rules (403); an outsider 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildToken } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

interface Detection {
  incidentKey: string;
  rules: { id: string; title: string; enabled: boolean; hits: number }[];
  iocs: number;
  leftOut: number;
}
interface AlertJson {
  id: string;
  ruleId: string;
  ruleTitle: string;
  incident: { key: string } | null;
}

const SHA = 'a'.repeat(64);

describe.each(STORE_KINDS)('IOCs back into detection (%s)', (kind) => {
  let t: TestApp;
  let commander: Session;
  let responder: Session;
  let token: string;
  let key: string;

  const post = (s: Session, url: string, payload?: object) => t.as(s, { method: 'POST', url, payload });
  const get = (s: Session, url: string) => t.as(s, { method: 'GET', url });
  const ingest = async (events: object[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(events),
    });
    expect(res.statusCode, res.body).toBe(202);
    await t.s.detection.idle();
  };
  const alertsOf = async (ruleId: string) => {
    const res = await get(commander, `/api/v1/alerts?rule=${ruleId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as AlertJson[];
  };
  const addIoc = async (type: string, value: string, extra: object = {}) => {
    const res = await post(commander, `/api/v1/incidents/${key}/iocs`, { type, value, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    commander = await t.login('incident_commander');
    responder = await t.login('responder');
    const admin = await t.login('admin');
    token = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
    const res = await post(commander, '/api/v1/incidents', {
      title: 'Credential stuffing from a botnet',
      category: 'network_attack',
      grade: 'III',
      commanderId: commander.userId,
    });
    expect(res.statusCode, res.body).toBe(201);
    key = res.json().key;
    await addIoc('ipv4', '203.0.113.77', { confidence: 80 });
    await addIoc('domain', 'evil.example', { confidence: 70 });
    await addIoc('sha256', SHA, { confidence: 90 });
    await addIoc('account', 'A10000009', { confidence: 90 });
    const weak = await addIoc('ipv4', '198.51.100.9', { confidence: 20 });
    expect(weak).toBeTruthy();
  });
  afterAll(() => t.close());

  it('turns the IOCs into audited Sigma rules on the rules page, leaving weak ones and accounts out', async () => {
    const res = await post(commander, `/api/v1/incidents/${key}/iocs/detection`, {});
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as Detection;
    expect(d.iocs).toBe(3);
    expect(d.rules.map((r) => r.title).sort()).toEqual([
      `IOC match (addresses and domains) of ${key}`,
      `IOC match (file hashes) of ${key}`,
    ]);
    await t.s.rules.settled();
    const rule = await get(commander, `/api/v1/rules/${d.rules[0]!.id}`);
    expect(rule.statusCode).toBe(200);
    expect(rule.json()).toMatchObject({ origin: 'uploaded', enabled: true, file: `iocs-${key}.yml` });
    expect(rule.json().tags).toContain(`tocsin.incident.${key.toLowerCase()}`);
    expect(rule.json().yaml).not.toContain('198.51.100.9');
    expect(rule.json().yaml).not.toContain('A10000009');
    const audit = await get(await t.login('admin'), '/api/v1/audit?action=rule.upload');
    expect(audit.json().items.map((e: { targetId: string }) => e.targetId)).toEqual(
      expect.arrayContaining(d.rules.map((r) => r.id)),
    );
    const status = await get(responder, `/api/v1/incidents/${key}/iocs/detection`);
    expect(status.json().rules).toHaveLength(2);
  });

  it('a later event naming an IOC raises an alert that joins the incident', async () => {
    const d = (await get(commander, `/api/v1/incidents/${key}/iocs/detection`)).json() as Detection;
    const network = d.rules.find((r) => r.title.includes('addresses'))!;
    const files = d.rules.find((r) => r.title.includes('hashes'))!;
    const now = t.s.clock.now();
    await ingest([
      // Another source and log schema: a proxy's client address, a Sysmon hash, a subdomain lookup.
      { time: now, logsource: { product: 'proxy' }, 'c-ip': '203.0.113.77', 'cs-uri': '/login' },
      {
        time: now,
        logsource: { product: 'windows', category: 'process_creation' },
        Hashes: `SHA256=${SHA.toUpperCase()}`,
      },
      { time: now, logsource: { product: 'zeek', service: 'dns' }, query: 'c2.evil.example' },
      // Near misses: another address that contains it, a look-alike domain.
      { time: now, logsource: { product: 'proxy' }, 'c-ip': '203.0.113.7', 'cs-uri': '/x' },
      { time: now, logsource: { product: 'zeek', service: 'dns' }, query: 'notevil.example' },
    ]);
    // The address and the lookup name different entities: two alerts, both in the incident.
    const hits = await alertsOf(network.id);
    expect(hits.map((h) => h.incident?.key)).toEqual([key, key]);
    const seen = JSON.stringify(
      await Promise.all(hits.map(async (h) => (await get(commander, `/api/v1/alerts/${h.id}`)).json())),
    );
    expect(seen).toContain('c2.evil.example');
    expect(seen).toContain('203.0.113.77');
    expect(seen).not.toContain('notevil.example');
    expect(seen).not.toContain('"203.0.113.7"');
    expect((await alertsOf(files.id))[0]!.incident?.key).toBe(key);
  });

  it('regenerating replaces the rules; accounts come in when asked, case-sensitive', async () => {
    const before = (await get(commander, `/api/v1/incidents/${key}/iocs/detection`)).json() as Detection;
    const res = await post(commander, `/api/v1/incidents/${key}/iocs/detection`, {
      types: ['account'],
      minConfidence: 60,
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as Detection;
    expect(after.rules.map((r) => r.title)).toEqual([`IOC match (e-mail addresses and accounts) of ${key}`]);
    await t.s.rules.settled();
    for (const r of before.rules) expect((await get(commander, `/api/v1/rules/${r.id}`)).statusCode).toBe(404);
    const now = t.s.clock.now();
    await ingest([
      { time: now, logsource: { product: 'trading' }, account: 'a10000009', event: 'login' },
      { time: now, logsource: { product: 'trading' }, account: 'A10000009', event: 'login' },
    ]);
    const hits = await alertsOf(after.rules[0]!.id);
    expect(hits).toHaveLength(1);
    const events = (await get(commander, `/api/v1/alerts/${hits[0]!.id}`)).json();
    expect(events.events.map((e: { fields: { account: string } }) => e.fields.account)).toEqual(['A10000009']);
  });

  it('refuses what it cannot do: nothing qualifying (422), a responder (403), an outsider (404)', async () => {
    await expectProblem(await post(commander, `/api/v1/incidents/${key}/iocs/detection`, { types: ['url'] }), 422);
    await expectProblem(await post(responder, `/api/v1/incidents/${key}/iocs/detection`, {}), 403);
    const res = await post(commander, '/api/v1/incidents', {
      title: 'Restricted insider case',
      category: 'data_leak',
      grade: 'IV',
      restricted: true,
      commanderId: commander.userId,
    });
    const other = await t.login('incident_commander');
    await expectProblem(await get(other, `/api/v1/incidents/${res.json().key}/iocs/detection`), 404);
    await expectProblem(await post(other, `/api/v1/incidents/${res.json().key}/iocs/detection`, {}), 404);
  });

  it('deleting removes the rules; their alerts stay', async () => {
    const before = (await get(commander, `/api/v1/incidents/${key}/iocs/detection`)).json() as Detection;
    const del = await t.as(commander, { method: 'DELETE', url: `/api/v1/incidents/${key}/iocs/detection` });
    expect(del.statusCode, del.body).toBe(204);
    expect((await get(commander, `/api/v1/incidents/${key}/iocs/detection`)).json().rules).toEqual([]);
    expect(await alertsOf(before.rules[0]!.id)).toHaveLength(1);
  });
});
