import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAlert, buildIncident, buildPrincipal, buildService, buildUser } from '../helpers/fixtures.js';
import { STORE_KINDS, countRows, testConfig } from '../helpers/store.js';
import type { Plan } from '../../src/shared/plan-schemas.js';
import { compose, type Services } from '../../src/server/compose.js';
import type { ActionAsk, PageAsk } from '../../src/server/modules/plan/plan-activation.service.js';
import { lintPlanFile } from '../../src/server/modules/plan/plan-lint.js';

const T0 = Date.UTC(2026, 11, 3, 6, 0);
const bundled = (id: string): Plan => {
  const r = lintPlanFile(path.join(import.meta.dirname, '../../plans', `${id}.yml`));
  if (!r.plan) throw new Error(`bundled plan ${id} does not lint`);
  return r.plan;
};

describe.each(STORE_KINDS)('plan activation (%s)', (kind) => {
  let s: Services;
  let drop: () => Promise<void>;
  let now = T0;
  let asks: ActionAsk[];
  let pages: PageAsk[];
  let onCallUser: string | null;
  const plan = bundled('account-takeover');
  // The commander and the SOC analyst come from on-call; the trading-ops role has no schedule.
  plan.roles[0]!.oncall = { schedule: 'ir-commanders', escalation: 'ir-escalation' };
  plan.roles[1]!.oncall = { schedule: 'soc' };

  beforeEach(async () => {
    now = T0;
    asks = [];
    pages = [];
    const t = testConfig(kind);
    drop = t.drop;
    s = await compose(t.config, {
      clock: { now: () => now },
      runnablePlans: async () => [{ planId: plan.id, version: 3, document: plan }],
      activationPorts: {
        onCall: async (schedule) => (schedule === 'soc' ? onCallUser : null),
        requestAction: async (_tx, ask) => {
          asks.push(ask);
          return ask.connector === 'trading-core' || ask.connector === 'firewall'
            ? null
            : `no connector ${ask.connector}`;
        },
        page: async (_tx, ask) => {
          pages.push(ask);
        },
      },
    });
    onCallUser = (await buildUser(s, { role: 'responder', name: 'Wang Fang' })).id;
    await buildService(s, { key: 'online-trading' });
  });
  afterEach(async () => {
    await s.close();
    await drop();
  });

  it('starts a matching plan once when an incident is declared: roles from on-call, tasks due, actions, pages, timeline, audit', async () => {
    const incident = await buildIncident(s, {
      category: 'network_attack',
      grade: 'II',
      tags: ['attack.t1110.004'],
      services: ['online-trading'],
    });
    await s.jobs.runDue(now);
    const p = await buildPrincipal(s);
    const [activation, ...others] = await s.activations.list(p, incident.key);
    expect(others).toEqual([]);
    expect(activation).toMatchObject({
      planId: 'account-takeover',
      planVersion: 3,
      activatedBy: null,
      details: { trigger: 2, roles: { commander: null, 'soc-analyst': onCallUser } },
    });
    expect(activation!.roles.find((r) => r.id === 'soc-analyst')!.user).toEqual({ id: onCallUser, name: 'Wang Fang' });
    // 6 phase tasks + 3 communication steps; communication steps count under "communicate".
    const total = Object.fromEntries(activation!.progress.map((x) => [x.phase, x.total]));
    expect(total).toEqual({ contain: 3, eradicate: 2, recover: 1, communicate: 3 });
    const tasks = await s.timeline.listTasks(p, incident.key, undefined, 50);
    const confirm = tasks.items.find((t) => t.plan?.step === 'confirm-sources')!;
    expect(confirm).toMatchObject({
      owner: { id: onCallUser, name: 'Wang Fang' },
      ownerRole: 'technical_lead',
      dueAt: new Date(T0 + 10 * 60_000).toISOString(),
      plan: { phase: 'contain', titleI18n: { 'zh-CN': '确认撞库来源IP和被登录成功的账户清单' } },
    });
    expect(confirm.plan!.checklist).toHaveLength(2);
    // No alerts on a hand-declared incident: the actions that read their IPs and accounts wait for them.
    expect(asks).toEqual([]);
    expect(activation!.details.awaitingAlerts).toEqual(['block-attacking-ips', 'revoke-victim-sessions']);
    // The freeze waits for the revocation: it is not asked for (nor a problem) yet.
    expect(activation!.details.problems.map((x) => x.step)).toEqual(['commander']);
    expect(pages).toEqual([
      expect.objectContaining({
        incidentKey: incident.key,
        recipients: [{ roleId: 'soc-analyst', userId: onCallUser }],
        escalations: [{ roleId: 'commander', policy: 'ir-escalation' }],
      }),
    ]);
    const incidentNow = await s.incidents.get(p, incident.key);
    expect(incidentNow.participants).toEqual([expect.objectContaining({ userId: onCallUser, role: 'technical_lead' })]);
    const timeline = await s.timeline.list(p, incident.key, 0, 50);
    const entry = timeline.items.find((e) => e.data?.event === 'plan_activated')!;
    // The freeze waits for the revocation; block and revoke wait for their alerts; nobody commands.
    expect(entry.text).toMatch(
      /: 9 tasks, 0 actions asked for, 1 waiting for others, 2 waiting for matching alerts \(block-attacking-ips, revoke-victim-sessions\), 1 problems$/,
    );
    const audit = await s.audit.list({ action: 'plan.activation' }, 10);
    expect(audit.items).toHaveLength(1);

    // Re-graded: the triggers are looked at again, and the plan already running is not started twice.
    now += 60_000;
    await s.incidents.update(p, incident.key, { grade: 'I' });
    await s.jobs.runDue(now);
    expect(await s.activations.list(p, incident.key)).toHaveLength(1);
    expect(await countRows(s.store, 'tasks')).toBe(9);
  });

  it('an incident no plan starts on takes no write transaction to evaluate (every writer would wait for it); one that matches starts the plan', async () => {
    const quiet = await buildIncident(s, { category: 'equipment_failure', grade: 'IV' });
    const matching = await buildIncident(s, {
      category: 'network_attack',
      grade: 'II',
      tags: ['attack.t1110.004'],
      services: ['online-trading'],
    });
    const real = s.store.transaction;
    let writes = 0;
    s.store.transaction = ((fn, opts) => {
      writes++;
      return real.call(s.store, fn, opts);
    }) as typeof real;
    try {
      expect(await s.activations.evaluate(quiet.id)).toEqual([]);
      expect(writes).toBe(0);
      expect(await s.activations.evaluate(matching.id)).toEqual(['account-takeover']);
      expect(writes).toBeGreaterThan(0);
    } finally {
      s.store.transaction = real;
    }
    const p = await buildPrincipal(s);
    expect(await s.activations.list(p, quiet.key)).toEqual([]);
    expect((await s.activations.list(p, matching.key)).map((a) => a.planId)).toEqual(['account-takeover']);
  });

  it('fills action parameters from the alerts an action chooses (accounts as the events wrote them); a person activates one by hand, once', async () => {
    const raised = await buildAlert(s, {
      ruleId: '95fa4895-874a-46cd-a448-2f770e76d64d',
      level: 'high',
      events: [
        {
          id: 'e1',
          time: now,
          source: 'trading',
          logsource: { product: 'trading' },
          fields: { src_ip: '203.0.113.7', User: 'C1001', service: 'online-trading' },
        },
      ],
    });
    // A successful login from the source: its account, as the event wrote it, is the victim.
    await buildAlert(s, {
      ruleId: '5486bfb5-4a3c-4b39-bce3-4b5e0c3ee29b',
      level: 'high',
      events: [
        {
          id: 'e2',
          time: now,
          source: 'trading',
          logsource: { product: 'trading' },
          fields: { src_ip: '203.0.113.7', User: 'C1002', outcome: 'success', service: 'online-trading' },
        },
      ],
    });
    await s.jobs.runDue(now);
    const p = await buildPrincipal(s);
    const [activation] = await s.activations.list(p, raised.incidentKey!);
    expect(activation!.details.trigger).toBe(0);
    expect(asks.map((a) => [a.stepId, a.parameters, a.approval, a.dryRun])).toEqual([
      [
        'block-attacking-ips',
        { ip: ['203.0.113.7'], reason: `Tocsin ${raised.incidentKey}: credential stuffing`, ttl_hours: 24 },
        'none',
        false,
      ],
      // The account merely tried (C1001, in the stuffing alert) is not revoked.
      ['revoke-victim-sessions', { account: ['C1002'] }, 'none', false],
    ]);
    expect(asks[0]!.key).toBe(`${activation!.id}:block-attacking-ips`);

    // A person activates the plan by hand on a drill: the actions are asked for as dry runs.
    const drill = await buildIncident(s, { title: 'Drill', drill: true });
    const manual = await s.activations.activate(p, drill.key, 'account-takeover', 'quarterly drill');
    expect(manual).toMatchObject({ activatedBy: { id: p.user.id }, details: { note: 'quarterly drill' } });
    const again = await s.activations.activate(p, drill.key, 'account-takeover');
    expect(again.id).toBe(manual.id);
    await expect(s.activations.activate(p, drill.key, 'no-such-plan')).rejects.toMatchObject({ status: 422 });
  });
});
