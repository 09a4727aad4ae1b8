/**
 * The account-takeover plan acts on the victims, not on everyone whose password was tried (docs/plans.md,
 * "Choosing the alerts"): a stuffing source tries 50 accounts and logs into 2; the IP block takes the
 * source from the stuffing alerts, the session revocation and the transfer freeze take exactly the 2
 * accounts logged into. A third victim's alert joining later asks one more run for that account only (the
 * freeze after its revocation, still for two people); the same alert again asks nothing.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DetectionEvent } from '../../packages/sigma/src/index.js';
import { buildAlert, buildPrincipal, buildService } from '../helpers/fixtures.js';
import { STORE_KINDS, testConfig } from '../helpers/store.js';
import type { Plan } from '../../src/shared/plan-schemas.js';
import { compose, type Services } from '../../src/server/compose.js';
import type { ActionAsk } from '../../src/server/modules/plan/plan-activation.service.js';
import { lintPlanFile } from '../../src/server/modules/plan/plan-lint.js';

const T0 = Date.UTC(2026, 11, 4, 1, 30);
const STUFFING = '95fa4895-874a-46cd-a448-2f770e76d64d';
const SUCCESS_AFTER_STUFFING = '5486bfb5-4a3c-4b39-bce3-4b5e0c3ee29b';
const ATTACKER = '203.0.113.7';
const account = (i: number) => `A${10_000_000 + i}`;

const login = (id: string, time: number, user: string, outcome: 'success' | 'failure'): DetectionEvent => ({
  id,
  time,
  source: 'trading',
  logsource: { product: 'tocsin', service: 'trading_login' },
  fields: { event: 'login', outcome, user, src_ip: ATTACKER, service: 'online-trading' },
});

describe.each(STORE_KINDS)('plan actions on the victims only (%s)', (kind) => {
  let s: Services;
  let drop: () => Promise<void>;
  let now = T0;
  let asks: ActionAsk[];
  const states = new Map<string, string>();
  const plan: Plan = (() => {
    const r = lintPlanFile(path.join(import.meta.dirname, '../../plans/account-takeover.yml'));
    if (!r.plan) throw new Error('the bundled plan does not lint');
    return r.plan;
  })();

  beforeEach(async () => {
    now = T0;
    asks = [];
    states.clear();
    const t = testConfig(kind);
    drop = t.drop;
    s = await compose(t.config, {
      clock: { now: () => now },
      runnablePlans: async () => [{ planId: plan.id, version: 1, document: plan }],
      activationPorts: {
        onCall: async () => null,
        requestAction: async (_tx, ask) => {
          asks.push(ask);
          states.set(ask.key, ask.approval === 'none' ? 'running' : 'awaiting_approval');
          return null;
        },
        actionStates: async (_db, keys) => new Map(keys.flatMap((k) => (states.has(k) ? [[k, states.get(k)!]] : []))),
        page: async () => {},
      },
    });
    await buildService(s, { key: 'online-trading' });
  });
  afterEach(async () => {
    await s.close();
    await drop();
  });

  /** The action run `key` succeeded (as the action module's outbox event would say). */
  const settle = async (key: string, stepId: string) => {
    states.set(key, 'succeeded');
    return s.activations.onActionSettled({ key, state: 'succeeded', stepId });
  };
  const asked = (step: string) => asks.filter((a) => a.stepId === step);

  it('revokes and freezes exactly the accounts logged into; a later victim is asked for alone, once', async () => {
    // The stuffing source fails logins for 50 accounts: "many accounts from one source".
    const stuffing = await buildAlert(s, {
      ruleId: STUFFING,
      level: 'high',
      tags: ['attack.t1110.004'],
      kind: 'correlation',
      events: Array.from({ length: 50 }, (_, i) => login(`f${i}`, now + i, account(i), 'failure')),
    });
    // Two logins succeed; the success-after-stuffing alert also carries sample failures of the source.
    const success = await buildAlert(s, {
      ruleId: SUCCESS_AFTER_STUFFING,
      level: 'high',
      tags: ['attack.t1110.004', 'attack.t1078'],
      kind: 'correlation',
      events: [
        login('f0', now, account(0), 'failure'),
        login('f1', now + 1, account(1), 'failure'),
        login('s3', now + 60, account(3), 'success'),
        login('s17', now + 61, account(17), 'success'),
      ],
    });
    const key = stuffing.incidentKey!;
    expect(success.incidentKey).toBe(key);
    await s.jobs.runDue(now);

    const [activation] = await s.activations.list(await buildPrincipal(s), key);
    expect(asked('block-attacking-ips').map((a) => a.parameters.ip)).toEqual([[ATTACKER]]);
    const revoke = asked('revoke-victim-sessions');
    expect(revoke.map((a) => a.parameters.account)).toEqual([[account(3), account(17)]]);
    expect(revoke[0]!.key).toBe(`${activation!.id}:revoke-victim-sessions`);
    // The freeze waits for the revocation, then takes the same two accounts, for two people.
    expect(asked('freeze-victim-transfers')).toEqual([]);
    expect(await settle(revoke[0]!.key, 'revoke-victim-sessions')).toEqual(['freeze-victim-transfers']);
    const freeze = asked('freeze-victim-transfers');
    expect(freeze.map((a) => [a.parameters.account, a.approval])).toEqual([[[account(3), account(17)], 'two_person']]);

    // Three minutes later a third victim's login: one more run of each, for that account only.
    now += 3 * 60_000;
    const third = await buildAlert(s, {
      ruleId: SUCCESS_AFTER_STUFFING,
      level: 'high',
      tags: ['attack.t1110.004', 'attack.t1078'],
      kind: 'correlation',
      events: [login('f2', now - 5, account(2), 'failure'), login('s42', now, account(42), 'success')],
    });
    expect(third.incidentKey).toBe(key);
    expect(third.deduplicated).toBe(false);
    await s.jobs.runDue(now);
    const again = asked('revoke-victim-sessions').slice(1);
    expect(again.map((a) => a.parameters.account)).toEqual([[account(42)]]);
    expect(again[0]!.key).toMatch(new RegExp(`^${activation!.id}:revoke-victim-sessions@`));
    // The stuffing IP was blocked already: nothing new to block.
    expect(asked('block-attacking-ips')).toHaveLength(1);
    // The freeze for the new account waits for its revocation, then asks for two people again.
    expect(asked('freeze-victim-transfers')).toHaveLength(1);
    expect(await settle(again[0]!.key, 'revoke-victim-sessions')).toEqual(['freeze-victim-transfers']);
    const freezeAgain = asked('freeze-victim-transfers').slice(1);
    expect(freezeAgain.map((a) => [a.parameters.account, a.approval])).toEqual([[[account(42)], 'two_person']]);
    expect(freezeAgain[0]!.key.split('@')[1]).toBe(again[0]!.key.split('@')[1]);

    // The same alert noted again (and the incident looked at again) asks nothing more.
    const count = asks.length;
    await buildAlert(s, {
      ruleId: SUCCESS_AFTER_STUFFING,
      level: 'high',
      tags: ['attack.t1110.004', 'attack.t1078'],
      kind: 'correlation',
      events: [login('s42', now, account(42), 'success')],
    });
    now += 60_000;
    await s.jobs.runDue(now);
    await s.activations.evaluate((await s.incidents.get(await buildPrincipal(s), key)).id);
    expect(await settle(again[0]!.key, 'revoke-victim-sessions')).toEqual([]);
    expect(asks).toHaveLength(count);

    // The timeline says what was asked again and why.
    const timeline = await s.timeline.list(await buildPrincipal(s), key, 0, 100);
    const reasked = timeline.items.filter((e) => e.data?.event === 'plan_reasked');
    expect(reasked).toHaveLength(1);
    expect(reasked[0]!.text).toContain(`revoke-victim-sessions for 1 account (${account(42)})`);
    expect(reasked[0]!.data).toMatchObject({
      steps: [{ step: 'revoke-victim-sessions', named: { account: [account(42)] } }],
    });
  });

  it('a later victim counted as a repeat of the same alert (same source) is asked for too', async () => {
    const success = (events: DetectionEvent[]) =>
      buildAlert(s, {
        ruleId: SUCCESS_AFTER_STUFFING,
        level: 'high',
        tags: ['attack.t1110.004', 'attack.t1078'],
        kind: 'correlation',
        group: { src_ip: ATTACKER },
        events,
      });
    const first = await success([login('f0', now, account(0), 'failure'), login('s5', now + 1, account(5), 'success')]);
    await s.jobs.runDue(now);
    expect(asked('revoke-victim-sessions').map((a) => a.parameters.account)).toEqual([[account(5)]]);

    now += 3 * 60_000;
    const repeat = await success([
      login('f1', now - 1, account(1), 'failure'),
      login('s8', now, account(8), 'success'),
    ]);
    expect(repeat).toMatchObject({ alertId: first.alertId, deduplicated: true });
    await s.jobs.runDue(now);
    expect(asked('revoke-victim-sessions').map((a) => a.parameters.account)).toEqual([[account(5)], [account(8)]]);
  });

  it('victims past the first 20 events an alert keeps are asked for too (each repeat keeps its latest event)', async () => {
    const success = (events: DetectionEvent[]) =>
      buildAlert(s, {
        ruleId: SUCCESS_AFTER_STUFFING,
        level: 'high',
        tags: ['attack.t1110.004', 'attack.t1078'],
        kind: 'correlation',
        group: { src_ip: ATTACKER },
        events,
      });
    const tries = (from: number, at: number) =>
      Array.from({ length: 24 }, (_, i) => login(`f${from + i}`, at - 24 + i, account(100 + from + i), 'failure'));
    // the first match alone has more events than an alert keeps; its success is the last
    const first = await success([...tries(0, now), login('s5', now, account(5), 'success')]);
    await s.jobs.runDue(now);
    expect(asked('revoke-victim-sessions').map((a) => a.parameters.account)).toEqual([[account(5)]]);

    for (const [i, victim] of [8, 9].entries()) {
      now += 3 * 60_000;
      const repeat = await success([
        ...tries(100 * (i + 1), now),
        login(`s${victim}`, now, account(victim), 'success'),
      ]);
      expect(repeat).toMatchObject({ alertId: first.alertId, deduplicated: true });
    }
    await s.jobs.runDue(now);
    expect(asked('revoke-victim-sessions').map((a) => a.parameters.account)).toEqual([
      [account(5)],
      [account(8), account(9)],
    ]);
    // the same repeat delivered again keeps nothing twice
    const again = await success([login('s9', now, account(9), 'success')]);
    expect(again).toMatchObject({ alertId: first.alertId, deduplicated: true });
    await s.jobs.runDue(now);
    expect(asked('revoke-victim-sessions')).toHaveLength(2);
  });

  it('an action whose alerts have not come waits for them, and is asked when the first one joins', async () => {
    const stuffing = await buildAlert(s, {
      ruleId: STUFFING,
      level: 'high',
      tags: ['attack.t1110.004'],
      kind: 'correlation',
      events: Array.from({ length: 30 }, (_, i) => login(`f${i}`, now + i, account(i), 'failure')),
    });
    const key = stuffing.incidentKey!;
    await s.jobs.runDue(now);
    const p = await buildPrincipal(s);
    let [activation] = await s.activations.list(p, key);
    // Nobody logged in yet: the revocation is not asked with an empty (or the tried) account list.
    expect(asked('block-attacking-ips')).toHaveLength(1);
    expect(asked('revoke-victim-sessions')).toEqual([]);
    expect(activation!.details.awaitingAlerts).toEqual(['revoke-victim-sessions']);
    expect(activation!.details.problems.map((x) => x.step)).toEqual(['commander', 'soc-analyst']);
    const timeline = await s.timeline.list(p, key, 0, 50);
    expect(timeline.items.find((e) => e.data?.event === 'plan_activated')!.text).toContain(
      '1 waiting for matching alerts (revoke-victim-sessions)',
    );

    now += 60_000;
    await buildAlert(s, {
      ruleId: SUCCESS_AFTER_STUFFING,
      level: 'high',
      tags: ['attack.t1110.004', 'attack.t1078'],
      kind: 'correlation',
      events: [login('f1', now - 5, account(1), 'failure'), login('s9', now, account(9), 'success')],
    });
    await s.jobs.runDue(now);
    const revoke = asked('revoke-victim-sessions');
    expect(revoke.map((a) => [a.parameters.account, a.key])).toEqual([
      [[account(9)], `${activation!.id}:revoke-victim-sessions`],
    ]);
    [activation] = await s.activations.list(p, key);
    expect(activation!.details.awaitingAlerts).toEqual([]);
    // It was the first run of the step: the freeze follows its success as at activation.
    expect(await settle(revoke[0]!.key, 'revoke-victim-sessions')).toEqual(['freeze-victim-transfers']);
    expect(asked('freeze-victim-transfers').map((a) => a.parameters.account)).toEqual([[account(9)]]);
  });
});
