/**
 * Issue 15's IOCs: extracted from an incident's alerts (idempotent) and entered by analysts; the incident's
 * STIX 2.1 bundle valid against the OASIS schemas with the same ids on a second export; a bundle imported
 * back (a non-bundle and an 11 MB body refused); the MISP event; the TAXII 2.1 collection serving TLP:CLEAR
 * and GREEN only; a restricted incident's IOCs 404 to outsiders; every change in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, buildToken } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';
import { stixSchemas } from '../helpers/stix-schemas.js';

interface IocJson {
  id: string;
  type: string;
  value: string;
  tlp: string;
  source: string;
  revoked: boolean;
}
interface StixJson {
  type: string;
  id: string;
  objects: ({ type: string; id: string } & Record<string, unknown>)[];
}

const schemas = stixSchemas('the STIX bundle of an incident against the OASIS schemas');
const SHA = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';

describe.each(STORE_KINDS)('IOCs (%s)', (kind) => {
  let t: TestApp;
  let commander: Session;
  let outsider: Session;
  let key: string;
  let secretKey: string;
  let token: string;

  const post = (s: Session, url: string, payload?: object) => t.as(s, { method: 'POST', url, payload });
  const get = (s: Session, url: string) => t.as(s, { method: 'GET', url });
  const iocs = async (k: string) => (await get(commander, `/api/v1/incidents/${k}/iocs`)).json().items as IocJson[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    commander = await t.login('incident_commander');
    outsider = await t.login('responder');
    const declare = async (title: string, restricted: boolean) => {
      const res = await post(commander, '/api/v1/incidents', {
        title,
        category: 'network_attack',
        grade: 'III',
        restricted,
        commanderId: commander.userId,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().key as string;
    };
    key = await declare('账户盗用：异地登录后转出资金', false);
    secretKey = await declare('内部调查：受限事件', true);
    const now = t.s.clock.now();
    const raised = await buildAlert(t.s, {
      ruleTitle: 'Login from a new country then withdrawal',
      events: [
        {
          id: 'e1',
          time: now - 60_000,
          source: 'trading-core',
          logsource: { product: 'trading' },
          fields: {
            src_ip: '203.0.113.5',
            user: 'A10000001',
            dst_ip: '10.0.0.8',
            message: 'login then fetch http://evil.example.com/payload.bin from victim@Example.COM',
            Hashes: `SHA256=${SHA},MD5=D41D8CD98F00B204E9800998ECF8427E`,
            'dns.question.name': 'C2.Evil.Example.com.',
          },
        },
        {
          id: 'e2',
          time: now,
          source: 'trading-core',
          logsource: { product: 'trading' },
          fields: { src_ip: '203.0.113.5', user: 'A10000001', ipv6: '2001:db8::0:1' },
        },
      ],
    });
    const link = await post(commander, `/api/v1/alerts/${raised.alertId}/link`, { incidentKey: key });
    expect(link.statusCode, link.body).toBeLessThan(300);
    token = (await buildToken(t.s, outsider.userId, { scopes: ['read'] })).token;
  });

  afterAll(async () => {
    await t?.close();
  });

  it("extracts IPs, domains, URLs, hashes, accounts and e-mails from the alerts' events, once", async () => {
    const first = await post(commander, `/api/v1/incidents/${key}/iocs/extract`);
    expect(first.statusCode, first.body).toBe(200);
    const found = (first.json().items as IocJson[]).map((i) => `${i.type} ${i.value}`).sort();
    expect(found).toEqual(
      expect.arrayContaining([
        'ipv4 203.0.113.5',
        'ipv6 2001:db8::1',
        'account A10000001',
        'url http://evil.example.com/payload.bin',
        'domain evil.example.com',
        'domain c2.evil.example.com',
        'email victim@example.com',
        `sha256 ${SHA.toLowerCase()}`,
        'md5 d41d8cd98f00b204e9800998ecf8427e',
      ]),
    );
    expect(found.some((f) => f.includes('10.0.0.8'))).toBe(false); // the firm's own addresses are not shared
    const again = await post(commander, `/api/v1/incidents/${key}/iocs/extract`);
    expect(again.json().created).toBe(0);
    expect((await iocs(key)).filter((i) => i.source === 'alert')).toHaveLength(first.json().created);
  });

  it("takes analysts' IOCs normalized, refuses a duplicate and a malformed value, changes and revokes", async () => {
    const url = `/api/v1/incidents/${key}/iocs`;
    const made = await post(commander, url, { type: 'domain', value: 'Phish.Example.ORG.', tlp: 'green' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ value: 'phish.example.org', tlp: 'green', source: 'analyst' });
    expectProblem(await post(commander, url, { type: 'domain', value: 'phish.example.org' }), 409);
    expectProblem(await post(commander, url, { type: 'ipv4', value: '999.1.1.1' }), 422);
    const quoted = await post(commander, url, { type: 'account', value: "o'brien\\ops", tlp: 'red', confidence: 90 });
    expect(quoted.statusCode, quoted.body).toBe(201);
    const red = await post(commander, url, { type: 'ipv4', value: '198.51.100.7', tlp: 'red' });
    const amber = await post(commander, url, { type: 'ipv4', value: '198.51.100.8', tlp: 'amber+strict' });
    expect([red.statusCode, amber.statusCode]).toEqual([201, 201]);

    const ip = (await iocs(key)).find((i) => i.value === '203.0.113.5')!;
    const changed = await t.as(commander, {
      method: 'PATCH',
      url: `${url}/${ip.id}`,
      payload: { tlp: 'clear', confidence: 85 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ tlp: 'clear', confidence: 85 });
    const url2 = (await iocs(key)).find((i) => i.type === 'md5')!;
    await t.as(commander, { method: 'PATCH', url: `${url}/${url2.id}`, payload: { tlp: 'green' } });
    const revoked = await post(commander, `${url}/${url2.id}/revoke`, { reason: 'an empty file: every host has it' });
    expect(revoked.json().revoked).toBe(true);
  });

  it.skipIf(!schemas.runs)(
    'exports a STIX 2.1 bundle valid against the OASIS schemas, the same on a second export',
    async () => {
      schemas.require();
      const res = await get(commander, `/api/v1/incidents/${key}/stix`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/stix+json;version=2.1');
      const bundle = res.json() as StixJson;
      const whole = schemas.validator('bundle');
      expect(whole(bundle), JSON.stringify(whole.errors)).toBe(true);
      for (const o of bundle.objects) {
        const v = schemas.validator(o.type);
        expect(v(o), `${o.type} ${o.id}: ${JSON.stringify(v.errors?.slice(0, 3))}`).toBe(true);
      }
      const types = new Set(bundle.objects.map((o) => o.type));
      for (const ty of [
        'identity',
        'report',
        'indicator',
        'observed-data',
        'sighting',
        'marking-definition',
        'ipv4-addr',
      ])
        expect(types, ty).toContain(ty);
      const patterns = bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern);
      expect(patterns).toContain("[ipv4-addr:value = '203.0.113.5']");
      expect(patterns).toContain(`[file:hashes.'SHA-256' = '${SHA.toLowerCase()}']`);
      expect(patterns).toContain("[user-account:account_login = 'o\\'brien\\\\ops']");
      const report = bundle.objects.find((o) => o.type === 'report')!;
      const ids = new Set(bundle.objects.map((o) => o.id));
      for (const ref of report.object_refs as string[]) expect(ids).toContain(ref);
      expect(report.object_marking_refs).toEqual(['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1']); // TLP:RED
      const sighting = bundle.objects.find((o) => o.type === 'sighting')!;
      expect(ids).toContain(sighting.sighting_of_ref);
      expect(ids).toContain((sighting.observed_data_refs as string[])[0]);

      const second = (await get(commander, `/api/v1/incidents/${key}/stix`)).json() as StixJson;
      expect(second).toEqual(bundle);
    },
  );

  it('answers the MISP event with typed attributes and the strictest TLP as its tag', async () => {
    const res = await get(commander, `/api/v1/incidents/${key}/misp`);
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json().Event;
    expect(e).toMatchObject({ info: expect.stringContaining(key), analysis: '1', distribution: '0' });
    expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(e.Tag).toEqual([{ name: 'tlp:red' }]);
    const attr = (v: string) => e.Attribute.find((a: { value: string }) => a.value === v);
    expect(attr('203.0.113.5')).toMatchObject({ type: 'ip-dst', category: 'Network activity', to_ids: true });
    expect(attr('evil.example.com')).toMatchObject({ type: 'domain' });
    expect(attr('victim@example.com')).toMatchObject({ type: 'email-src' });
    expect(attr(SHA.toLowerCase())).toMatchObject({ type: 'sha256', category: 'Payload delivery' });
    expect(attr('A10000001')).toMatchObject({ to_ids: false });
    expect(attr('d41d8cd98f00b204e9800998ecf8427e')).toBeUndefined(); // revoked
  });

  it('serves TLP:CLEAR and GREEN indicators over TAXII 2.1 to a read token, never AMBER or RED', async () => {
    const bearer = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const disc = await bearer('/taxii2/');
    expect(disc.statusCode, disc.body).toBe(200);
    expect(disc.headers['content-type']).toBe('application/taxii+json;version=2.1');
    const root = disc.json().default as string;
    expect((await bearer(new URL(root).pathname)).json().versions).toEqual(['application/taxii+json;version=2.1']);
    const cols = (await bearer('/taxii2/api/collections/')).json().collections as { id: string }[];
    expect(cols).toHaveLength(1);
    const base = `/taxii2/api/collections/${cols[0]!.id}/`;
    expect((await bearer(base)).json()).toMatchObject({ can_read: true, can_write: false });
    expectProblem(await bearer('/taxii2/api/collections/nope/objects/'), 404);
    expect((await t.app.inject({ method: 'GET', url: `${base}objects/` })).statusCode).toBe(401);

    const all = await bearer(`${base}objects/`);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.headers['content-type']).toBe('application/taxii+json;version=2.1');
    const objects = all.json().objects as { pattern: string; object_marking_refs: string[] }[];
    const patterns = objects.map((o) => o.pattern);
    expect(patterns).toContain("[ipv4-addr:value = '203.0.113.5']"); // clear
    expect(patterns).toContain("[domain-name:value = 'phish.example.org']"); // green
    expect(patterns.join()).not.toMatch(/198\.51\.100\.[78]|brien|d41d8cd9/); // red, amber+strict, revoked green
    const shareable = new Set([
      'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
      'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
    ]);
    for (const o of objects) expect(shareable.has(o.object_marking_refs[0]!)).toBe(true);

    const page1 = (await bearer(`${base}objects/?limit=1`)).json();
    expect(page1).toMatchObject({ more: true, objects: [expect.anything()] });
    const page2 = (await bearer(`${base}objects/?limit=1&next=${encodeURIComponent(page1.next)}`)).json();
    expect(page2.objects[0].id).not.toBe(page1.objects[0].id);
    const later = (
      await bearer(
        `${base}objects/?added_after=${encodeURIComponent(new Date(t.s.clock.now() + 60_000).toISOString())}`,
      )
    ).json();
    expect(later).toMatchObject({ more: false, objects: [] });
  });

  it('imports a bundle: simple indicators become IOCs, the rest is skipped with reasons', async () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--a932fcc6-e032-476c-826f-cb970a5a1ade',
          created: '2026-11-01T00:00:00.000Z',
          modified: '2026-11-01T00:00:00.000Z',
          pattern: "[ipv4-addr:value = '192.0.2.44']",
          pattern_type: 'stix',
          valid_from: '2026-11-01T00:00:00Z',
          confidence: 70,
          object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
        },
        {
          type: 'indicator',
          id: 'indicator--b932fcc6-e032-476c-826f-cb970a5a1ade',
          pattern: `[file:hashes.'SHA-256' = 'AAAA${SHA.slice(4)}']`,
          pattern_type: 'stix',
        },
        {
          type: 'indicator',
          id: 'indicator--c932fcc6-e032-476c-826f-cb970a5a1ade',
          pattern: "[ipv4-addr:value = '192.0.2.1'] AND [domain-name:value = 'x.example']",
          pattern_type: 'stix',
        },
        { type: 'indicator', id: 'indicator--d9', pattern: 'alert tcp any any', pattern_type: 'snort' },
        { type: 'malware', id: 'malware--e932fcc6-e032-476c-826f-cb970a5a1ade', name: 'x', is_family: false },
        {
          type: 'indicator',
          id: 'indicator--f932fcc6-e032-476c-826f-cb970a5a1ade',
          pattern: "[ipv4-addr:value = '203.0.113.5']",
          pattern_type: 'stix',
        },
      ],
    };
    const res = await post(commander, `/api/v1/incidents/${key}/stix`, bundle);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 2, existing: 1, skippedTotal: 3 });
    expect(
      res
        .json()
        .skipped.map((s: { reason: string }) => s.reason)
        .join('\n'),
    ).toMatch(/single equality[\s\S]*snort[\s\S]*malware/);
    const imported = (await iocs(key)).filter((i) => i.source === 'import');
    expect(imported.map((i) => `${i.type} ${i.value} ${i.tlp}`).sort()).toEqual([
      'ipv4 192.0.2.44 green',
      `sha256 aaaa${SHA.slice(4).toLowerCase()} amber`,
    ]);

    const notBundle = await post(commander, `/api/v1/incidents/${key}/stix`, { type: 'report', id: 'report--1' });
    expect(expectProblem(notBundle, 422).detail).toMatch(/not a STIX 2\.1 bundle/);
    const huge = await t.as(commander, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/stix`,
      headers: { 'content-type': 'application/json' },
      payload: `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[],"pad":"${'x'.repeat(11 * 1024 * 1024)}"}`,
    });
    expectProblem(huge, 413);
    expect((await iocs(key)).filter((i) => i.source === 'import')).toHaveLength(2);
  });

  it("answers a restricted incident's IOCs 404 to those outside it", async () => {
    const mine = await post(commander, `/api/v1/incidents/${secretKey}/iocs`, {
      type: 'domain',
      value: 'inside.example',
      tlp: 'clear',
    });
    expect(mine.statusCode, mine.body).toBe(201);
    for (const path of ['iocs', 'stix', 'misp'])
      expectProblem(await get(outsider, `/api/v1/incidents/${secretKey}/${path}`), 404);
    expectProblem(await post(outsider, `/api/v1/incidents/${secretKey}/iocs/extract`), 404);
    // Nor over TAXII (the token is the outsider's), though its TLP is CLEAR.
    const col = (await get(commander, '/taxii2/api/collections/')).json().collections[0].id as string;
    const objs = await t.app.inject({
      method: 'GET',
      url: `/taxii2/api/collections/${col}/objects/`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(objs.body).not.toContain('inside.example');
    const own = (await get(commander, `/taxii2/api/collections/${col}/objects/`)).body;
    expect(own).toContain('inside.example');
  });

  it('records every change and export in the audit log', async () => {
    const rows = await t.s.store.db.selectFrom('audit_log').select('action').where('action', 'like', 'ioc.%').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['ioc.extract', 'ioc.create', 'ioc.update', 'ioc.revoke', 'ioc.import', 'ioc.export'])
      expect(actions, a).toContain(a);
  });
});
