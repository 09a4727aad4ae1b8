/**
 * A plan's automatic actions end to end, on stored plans and the sandbox stand-ins: detection declares an
 * incident, the bundled account-takeover plan starts by itself, blocks the attacking IP at the firewall
 * and revokes the victims' sessions at the trading core (the accounts logged into, not those merely
 * tried); only after the revocation succeeded is the
 * freeze of their transfers asked for, and it waits for a second person. A drill runs the same actions dry.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, SYSTEM } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';

const STUFFING = '95fa4895-874a-46cd-a448-2f770e76d64d';
const SUCCESS_AFTER_STUFFING = '5486bfb5-4a3c-4b39-bce3-4b5e0c3ee29b';

describe.each(STORE_KINDS)('plan response (%s)', (kind) => {
  let t: TestApp;
  let sandbox: RunningSandbox;
  let alice: Session;
  let bob: Session;
  const clock = { t: Date.parse('2026-12-03T08:00:00Z'), now: () => clock.t };
  const requests = (name: string) => sandbox.standIns.find((s) => s.name === name)!.requests;
  const runJobs = async () => {
    for (let i = 0; i < 5; i++) await t.s.jobs.runDue(clock.t);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    t = await createTestApp(kind, {}, { clock });
    alice = await t.login('responder');
    bob = await t.login('incident_commander');
    const admin = await t.login('admin');
    for (const [name, k, url] of [
      ['firewall', 'firewall', sandbox.urls.firewall],
      ['trading-core', 'trading-core', sandbox.urls.trading],
    ] as const) {
      const res = await t.as(admin, {
        method: 'POST',
        url: '/api/v1/connectors',
        payload: {
          name,
          kind: k,
          config: { baseUrl: url, timeoutMs: 2000 },
          secrets: { apiKey: 'sandbox-key-123456' },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const { plan, version } = await t.s.plans.importSource(
      SYSTEM,
      fs.readFileSync('plans/account-takeover.yml', 'utf8'),
    );
    await t.s.plans.approve(SYSTEM, plan.id, version.version);
    await t.s.plans.activate(SYSTEM, plan.id, version.version);
  });
  afterAll(async () => {
    await t.close();
    await sandbox.stop();
  });

  it('blocks and revokes by itself, then asks for the freeze, which a second person approves', async () => {
    const login = (id: string, user: string, outcome: string) => ({
      id,
      time: clock.t,
      source: 'trading',
      logsource: { product: 'tocsin', service: 'trading_login' },
      fields: { src_ip: '203.0.113.7', user, outcome },
    });
    // Three accounts tried; two of them logged into (the success alert also carries a sample failure).
    const raised = await buildAlert(t.s, {
      ruleId: STUFFING,
      level: 'high',
      events: ['c1001', 'c1002', 'c1003'].map((user, i) => login(`e${i}`, user, 'failure')),
    });
    await buildAlert(t.s, {
      ruleId: SUCCESS_AFTER_STUFFING,
      level: 'high',
      events: [login('e2', 'c1003', 'failure'), login('s1', 'c1001', 'success'), login('s2', 'c1002', 'success')],
    });
    const key = raised.incidentKey!;
    await runJobs();
    const actions = async () =>
      (await t.as(alice, { method: 'GET', url: `/api/v1/incidents/${key}/actions` })).json().items as {
        id: string;
        stepId: string;
        state: string;
        approval: string;
      }[];
    const byStep = async () => Object.fromEntries((await actions()).map((a) => [a.stepId, a]));
    let runs = await byStep();
    expect(runs['block-attacking-ips']).toMatchObject({ state: 'succeeded' });
    expect(runs['revoke-victim-sessions']).toMatchObject({ state: 'succeeded' });
    expect(requests('firewall').map((r) => [r.method, r.path, (r.body as { target: string }).target])).toEqual([
      ['POST', '/blocks', '203.0.113.7'],
    ]);
    expect(
      requests('trading')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(['POST /accounts/c1001/sessions/revoke', 'POST /accounts/c1002/sessions/revoke']);
    // The freeze waited for the revocation and now waits for a second person.
    expect(runs['freeze-victim-transfers']).toMatchObject({ state: 'awaiting_approval', approval: 'two_person' });
    const freeze = runs['freeze-victim-transfers']!;
    const approved = await t.as(bob, { method: 'POST', url: `/api/v1/actions/${freeze.id}/approve` });
    expect(approved.statusCode, approved.body).toBe(200);
    await runJobs();
    runs = await byStep();
    expect(runs['freeze-victim-transfers']).toMatchObject({ state: 'succeeded' });
    const frozen = requests('trading').find((r) => r.path === '/transfers/freeze')!;
    expect((frozen.body as { accounts: string[] }).accounts.sort()).toEqual(['c1001', 'c1002']);
    const timeline = (await t.as(alice, { method: 'GET', url: `/api/v1/incidents/${key}/timeline?limit=200` })).json();
    const events = timeline.items.map((e: { data: { event?: string } | null }) => e.data?.event);
    expect(events).toContain('plan_activated');
    expect(events).toContain('plan_step');
  });

  it('runs a drill incident plan with every action as a dry run: nothing reaches the stand-ins', async () => {
    for (const s of sandbox.standIns) s.requests.length = 0;
    const declared = await t.as(alice, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Drill: stuffing', category: 'network_attack', grade: 'IV', drill: true },
    });
    expect(declared.statusCode, declared.body).toBe(201);
    const key = declared.json().key;
    expect(declared.json().drill).toBe(true);
    // A drill's alert, below the level that declares an incident by itself: it joins the drill incident by hand.
    const raised = await buildAlert(t.s, {
      ruleId: STUFFING,
      level: 'low',
      events: [
        {
          id: 'd1',
          time: clock.t,
          source: 'trading',
          logsource: { product: 'tocsin', service: 'trading_login' },
          fields: { src_ip: '198.51.100.9', user: 'c2001' },
        },
      ],
    });
    expect(raised.incidentKey).toBeNull();
    await runJobs();
    const link = await t.as(alice, {
      method: 'POST',
      url: `/api/v1/alerts/${raised.alertId}/link`,
      payload: { incidentKey: key },
    });
    expect(link.statusCode, link.body).toBe(200);
    await runJobs();
    const runs = (await t.as(alice, { method: 'GET', url: `/api/v1/incidents/${key}/actions` })).json().items as {
      stepId: string;
      dryRun: boolean;
      state: string;
    }[];
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.dryRun)).toBe(true);
    expect(runs.find((r) => r.stepId === 'block-attacking-ips')).toMatchObject({ state: 'succeeded' });
    expect(requests('firewall').filter((r) => r.body && JSON.stringify(r.body).includes('198.51.100.9'))).toEqual([]);
  });
});
