/**
 * The entity graph of an incident (issue 15), on each store: an account takeover's events (an attacker's
 * address logging into two accounts from one device, a transfer from the victim's own address naming a
 * drop URL), an analyst's IOC on the attacker's address and account activity imported beside it. The
 * graph has the accounts, addresses, device, host, URL and domain, linked by what connects them, the IOC
 * marked, and another account the activity index saw on the attacker's address in the incident's
 * window; expanding the address adds an account seen on it days before; a bad node is 400 problem+json;
 * an outsider of a restricted incident gets 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityGraph, GraphExpansion } from '../../src/shared/entity-graph-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const T0 = Date.parse('2026-12-04T01:30:00Z');
const ATTACKER = '203.0.113.66';

describe.each(STORE_KINDS)('entity graph (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let key = '';
  const clock = {
    t: T0 + 2 * 3600_000,
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock, sink: () => {} });
    admin = await t.login('admin');
    const ev = (i: number, fields: Record<string, unknown>) => ({
      id: `graph-ev-${kind}-${i}`,
      time: T0 + i * 60_000,
      source: 'trading-frontend',
      logsource: { product: 'trading', service: 'auth' },
      fields,
    });
    const out = await buildAlert(t.s, {
      ruleId: `graph-rule-${kind}`,
      ruleTitle: 'Account takeover from one address',
      level: 'critical',
      time: T0 + 10 * 60_000,
      events: [
        ev(0, {
          user: 'A20000001',
          src_ip: ATTACKER,
          event: 'login',
          outcome: 'success',
          device_id: 'emu-9',
          hostname: 'trade-gw-01',
        }),
        ev(1, { user: 'A20000002', src_ip: ATTACKER, event: 'login', outcome: 'success', device_id: 'emu-9' }),
        ev(2, {
          user: 'A20000001',
          src_ip: '198.51.100.7',
          event: 'transfer',
          message: 'beneficiary confirmed at https://drop.evil.example/pay?id=7',
        }),
      ],
    });
    key = out.incidentKey!;
    expect(key).toMatch(/^INC-/);
    const ioc = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/iocs`,
      payload: { type: 'ipv4', value: ATTACKER, confidence: 85, tlp: 'amber' },
    });
    expect(ioc.statusCode, ioc.body).toBe(201);
    const rows = [
      // In the incident's window: another account on the attacker's address.
      { time: T0 + 5 * 60_000, account: 'A20000003', ip: ATTACKER, action: 'login', outcome: 'failure' },
      // Five days before: outside the incident's window, inside an expansion's.
      {
        time: T0 - 5 * 86_400_000,
        account: 'A20000009',
        ip: ATTACKER,
        device: 'pc-77',
        action: 'login',
        outcome: 'success',
      },
      // Unrelated.
      { time: T0 + 6 * 60_000, account: 'A20000050', ip: '192.0.2.50', action: 'login', outcome: 'success' },
    ];
    const imp = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/activity/imports?file=graph.ndjson',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: rows.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(imp.statusCode, imp.body).toBe(201);
    expect(imp.json()).toMatchObject({ accepted: 3 });
  });
  afterAll(() => t.close());

  const graph = async () => {
    const res = await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/graph` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as EntityGraph;
  };
  const expand = (node: string, who = admin) =>
    t.as(who, { method: 'GET', url: `/api/v1/incidents/${key}/graph/expand?node=${encodeURIComponent(node)}` });

  it('links the accounts, addresses, device, host, URL and domain the events and the activity index name', async () => {
    const g = await graph();
    const ids = g.nodes.map((n) => n.id).sort();
    expect(ids).toEqual(
      [
        'account:A20000001',
        'account:A20000002',
        'account:A20000003',
        `ip:${ATTACKER}`,
        'ip:198.51.100.7',
        'device:emu-9',
        'host:trade-gw-01',
        'url:https://drop.evil.example/pay?id=7',
        'domain:drop.evil.example',
      ].sort(),
    );
    const attacker = g.nodes.find((n) => n.id === `ip:${ATTACKER}`)!;
    expect(attacker).toMatchObject({
      type: 'ip',
      value: ATTACKER,
      alertCount: 1,
      ioc: { tlp: 'amber', confidence: 85 },
    });
    expect(attacker.firstSeen).toBe(new Date(T0).toISOString());
    const edge = (s: string, rel: string, d: string) => g.edges.find((e) => e.id === `${s}|${rel}|${d}`);
    expect(edge('account:A20000001', 'logged_in_from', `ip:${ATTACKER}`)).toMatchObject({ count: 1 });
    expect(edge('account:A20000002', 'logged_in_from', `ip:${ATTACKER}`)).toMatchObject({ count: 1 });
    expect(edge('account:A20000001', 'used_device', 'device:emu-9')).toBeTruthy();
    expect(edge('device:emu-9', 'seen_at', `ip:${ATTACKER}`)).toMatchObject({ count: 2 });
    expect(edge('account:A20000001', 'on_host', 'host:trade-gw-01')).toBeTruthy();
    expect(edge('account:A20000001', 'acted_from', 'ip:198.51.100.7')).toBeTruthy();
    expect(edge('url:https://drop.evil.example/pay?id=7', 'in_domain', 'domain:drop.evil.example')).toBeTruthy();
    // From the activity index: the third account's failed login on the attacker's address.
    expect(edge('account:A20000003', 'logged_in_from', `ip:${ATTACKER}`)).toMatchObject({
      count: 1,
      firstSeen: new Date(T0 + 5 * 60_000).toISOString(),
    });
    expect(g.nodes.some((n) => n.value === 'A20000009' || n.value === 'A20000050')).toBe(false);
    expect(new Set(g.edges.map((e) => e.id)).size).toBe(g.edges.length);
    expect(g.truncated).toBe(false);
  });

  it('expands an address a hop: an account that used it days before the incident', async () => {
    const res = await expand(`ip:${ATTACKER}`);
    expect(res.statusCode, res.body).toBe(200);
    const x = res.json() as GraphExpansion;
    expect(x.node).toMatchObject({ id: `ip:${ATTACKER}`, type: 'ip' });
    const ids = x.nodes.map((n) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining(['account:A20000009', 'account:A20000001', 'account:A20000002', 'account:A20000003']),
    );
    expect(ids).not.toContain('account:A20000050');
    expect(x.edges).toContainEqual(
      expect.objectContaining({ source: 'account:A20000009', relation: 'logged_in_from', target: `ip:${ATTACKER}` }),
    );
    expect(x.more).toBe(0);
    // An account expands to its addresses and device.
    const acc = (await expand('account:A20000001')).json() as GraphExpansion;
    expect(acc.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining([`ip:${ATTACKER}`, 'ip:198.51.100.7', 'device:emu-9']),
    );
  });

  it('caps the graph at 300 nodes and an expansion at 50 neighbours, saying so', async () => {
    // A botnet's worth of accounts on the attacker's address within the incident's window.
    const rows = Array.from({ length: 400 }, (_, i) => ({
      time: T0 + 20 * 60_000 + i,
      account: `B${String(i).padStart(5, '0')}`,
      ip: ATTACKER,
      action: 'login',
      outcome: 'failure',
    }));
    const imp = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/activity/imports?file=graph-botnet.ndjson',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: rows.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(imp.json()).toMatchObject({ accepted: 400 });
    const g = await graph();
    expect(g.nodes).toHaveLength(300);
    expect(g.truncated).toBe(true);
    // The incident's own entities come first: none of them is cut.
    expect(g.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining(['account:A20000001', 'account:A20000002', `ip:${ATTACKER}`, 'device:emu-9']),
    );
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(g.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);

    const x = (await expand(`ip:${ATTACKER}`)).json() as GraphExpansion;
    expect(x.nodes).toHaveLength(51);
    expect(x.more).toBeGreaterThanOrEqual(350);
  });

  it('refuses a bad node with 400 problem+json', async () => {
    for (const node of ['planet:mars', `ip:not-an-ip`, 'account:', `account:${'x'.repeat(600)}`, 'ip:1.2.3.4\u0000'])
      expectProblem(await expand(node), 400);
    expectProblem(await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/graph/expand` }), 400);
  });

  it('answers 404 to someone outside a restricted incident', async () => {
    const restrict = await t.as(admin, {
      method: 'PATCH',
      url: `/api/v1/incidents/${key}`,
      payload: { restricted: true },
    });
    expect(restrict.statusCode, restrict.body).toBeLessThan(300);
    const outsider = await t.login('responder');
    expectProblem(await t.as(outsider, { method: 'GET', url: `/api/v1/incidents/${key}/graph` }), 404);
    expectProblem(await expand(`ip:${ATTACKER}`, outsider), 404);
  });
});
