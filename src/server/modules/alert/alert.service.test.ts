import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../../shared/enums.js';
import { createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { STORE_KINDS } from '../../../../test/helpers/store.js';
import type { BusEvent } from '../../platform/bus.js';
import type { Principal } from '../auth/index.js';
import type { DetectionEvent, RuleMatch } from '../detection/index.js';

const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const MIN = 60_000;
const SYSTEM = { id: null, label: 'test' };

let n = 0;
const ev = (fields: Record<string, unknown>, time = T0, id = `ev-${++n}`): DetectionEvent => ({
  id,
  time,
  source: 'api',
  logsource: { product: 'windows', service: 'security' },
  fields,
});
const bruteForce = (fields: Record<string, unknown>, time = T0, over: Partial<RuleMatch> = {}): RuleMatch => ({
  ruleId: 'tocsin-brute-force',
  ruleTitle: 'Brute force on the trading login',
  level: 'high',
  tags: ['attack.credential_access', 'attack.t1110'],
  kind: 'detection',
  events: [ev(fields, time)],
  time,
  ...over,
});

describe.each(STORE_KINDS)('alert intake and triage (%s)', (kind) => {
  let t: TestApp;
  let now = T0;
  let admin: Principal;
  let responder: Principal;
  const events: BusEvent[] = [];

  const principal = async (role: UserRole): Promise<Principal> => {
    const user = await t.s.users.create(SYSTEM, {
      email: `${role}-${++n}-${kind}@test.example`,
      name: `${role} ${n}`,
      role,
      password: PASSWORD,
    });
    return { user, via: 'cli', scopes: null, restrictedTo: null };
  };
  const alertOf = async (id: string) => t.s.alerts.get(admin, id);
  const timelineOf = async (key: string) => (await t.s.timeline.list(admin, key, 0, 200)).items;

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock: { now: () => now } });
    t.s.bus.subscribe((e) => events.push(e));
    admin = await principal('admin');
    responder = await principal('responder');
    await t.s.catalog.create(SYSTEM, {
      key: 'online-trading',
      nameZh: '网上交易',
      nameEn: 'Online trading',
      description: '',
    });
  });
  afterAll(() => t.close());

  it('raises an alert that declares an incident as the system, with a suggested category and grade', async () => {
    events.length = 0;
    const [out] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'alice', IpAddress: '203.0.113.7', 'service.name': 'online-trading' }),
    ]);
    expect(out).toMatchObject({
      status: 'open',
      deduplicated: false,
      incidentKey: expect.stringMatching(/^INC-2026-\d{4}$/),
    });
    const alert = await alertOf(out!.alertId);
    expect(alert).toMatchObject({
      ruleId: 'tocsin-brute-force',
      level: 'high',
      severity: 2,
      count: 1,
      eventCount: 1,
      status: 'open',
      entities: { accounts: ['alice'], hosts: [], ips: ['203.0.113.7'] },
      services: ['online-trading'],
      suggested: { category: 'network_attack', grade: 'III' },
      incident: { key: out!.incidentKey },
    });
    expect(alert.events).toHaveLength(1);
    expect(alert.events[0]!.fields).toEqual({
      TargetUserName: 'alice',
      IpAddress: '203.0.113.7',
      'service.name': 'online-trading',
    });

    const incident = await t.s.incidents.get(admin, out!.incidentKey!);
    expect(incident).toMatchObject({
      category: 'network_attack',
      grade: 'III',
      status: 'detected',
      restricted: false,
      services: [{ key: 'online-trading' }],
    });
    expect(incident.title).toBe('Brute force on the trading login · alice');
    expect(incident.tags).toContain('detection');
    const [declared] = await timelineOf(incident.key);
    expect(declared).toMatchObject({
      kind: 'system',
      actor: null,
      data: { event: 'declared', source: 'detection', alertId: alert.id, grade: 'III', category: 'network_attack' },
    });
    expect(declared!.text).toContain(alert.id);

    const audit = (await t.s.audit.list({ targetId: incident.key }, 10)).items;
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['incident.create', { id: null, label: 'system (detection)' }],
    ]);
    const raised = (await t.s.audit.list({ targetType: 'alert', targetId: alert.id }, 10)).items;
    expect(raised.map((a) => a.action)).toEqual(['alert.raise']);
    expect(raised[0]!.actor.id).toBeNull();

    expect(events.map((e) => e.event)).toEqual(['incident.created', 'timeline.appended', 'alert.raised']);
    expect(events[2]).toMatchObject({
      incidentKey: incident.key,
      alert: { id: alert.id },
      audience: { restricted: false, permission: 'alert.read' },
    });
  });

  it('counts a repeat within the window into the same alert, and keeps each event once', async () => {
    const fields = { TargetUserName: 'bob', IpAddress: '198.51.100.20' };
    const first = (await t.s.alerts.raise([bruteForce(fields)]))[0]!;
    const same = ev(fields, T0 + MIN, 'same-event');
    events.length = 0;
    const batch = await t.s.alerts.raise([
      { ...bruteForce(fields, T0 + MIN), events: [same] },
      { ...bruteForce(fields, T0 + 2 * MIN), events: [same, ev(fields, T0 + 2 * MIN)] },
    ]);
    expect(batch.map((o) => [o.alertId, o.deduplicated])).toEqual([
      [first.alertId, true],
      [first.alertId, true],
    ]);
    const alert = await alertOf(first.alertId);
    expect(alert).toMatchObject({
      count: 3,
      eventCount: 4,
      firstSeenAt: new Date(T0).toISOString(),
      lastSeenAt: new Date(T0 + 2 * MIN).toISOString(),
    });
    expect(alert.events.map((e) => e.id)).toEqual([expect.any(String), 'same-event', expect.any(String)]);
    expect(events.map((e) => e.event)).toEqual(['alert.updated']);
    // One incident for all of it.
    const list = await t.s.alerts.listForIncident(admin, first.incidentKey!, undefined, 50);
    expect(list.items.map((a) => a.id)).toEqual([first.alertId]);

    // After the dedup window a repeat is a new alert, grouped into the same incident (same key, group window 1 h).
    const later = (await t.s.alerts.raise([bruteForce(fields, T0 + 20 * MIN)]))[0]!;
    expect(later.alertId).not.toBe(first.alertId);
    expect(later).toMatchObject({ deduplicated: false, incidentKey: first.incidentKey });
    const attached = (await timelineOf(first.incidentKey!)).at(-1)!;
    expect(attached).toMatchObject({
      kind: 'system',
      actor: null,
      data: { event: 'alerts_attached', count: 1, alerts: [{ id: later.alertId }] },
    });
  });

  it("keeps an alert's first 20 events and the match's latest, but counts them all", async () => {
    const fields = { TargetUserName: 'carol', IpAddress: '198.51.100.30' };
    const many = Array.from({ length: 30 }, (_, i) => ev(fields, T0 + i));
    const [out] = await t.s.alerts.raise([{ ...bruteForce(fields), kind: 'correlation', events: many }]);
    const alert = await alertOf(out!.alertId);
    expect(alert.eventCount).toBe(30);
    expect(alert.events).toHaveLength(21);
    expect(alert.events.at(-1)!.time).toBe(new Date(T0 + 29).toISOString());
  });

  it('groups by correlation key and category within the group window', async () => {
    const ip = '192.0.2.77';
    const a = (await t.s.alerts.raise([bruteForce({ TargetUserName: 'dave', IpAddress: ip })]))[0]!;
    // Another rule, another account, same source address and category: same incident.
    const spray = (
      await t.s.alerts.raise([
        bruteForce({ TargetUserName: 'erin', IpAddress: ip }, T0 + 5 * MIN, {
          ruleId: 'tocsin-password-spray',
          ruleTitle: 'Password spray',
        }),
      ])
    )[0]!;
    expect(spray.incidentKey).toBe(a.incidentKey);
    // Same address, another category (exfiltration): its own incident.
    const exfil = (
      await t.s.alerts.raise([
        bruteForce({ 'user.name': 'dave', 'source.ip': ip }, T0 + 6 * MIN, {
          ruleId: 'tocsin-crm-export',
          ruleTitle: 'Bulk export from CRM',
          tags: ['attack.exfiltration'],
        }),
      ])
    )[0]!;
    expect(exfil.incidentKey).not.toBe(a.incidentKey);
    expect((await t.s.incidents.get(admin, exfil.incidentKey!)).category).toBe('data_security');
    // Two hours after the key was last seen: a new incident.
    const late = (await t.s.alerts.raise([bruteForce({ TargetUserName: 'frank', IpAddress: ip }, T0 + 125 * MIN)]))[0]!;
    expect(late.incidentKey).not.toBe(a.incidentKey);
    // A finished incident takes no more alerts: the next one declares afresh.
    await t.s.incidents.transition(admin, late.incidentKey!, 'false_positive', 'lab traffic');
    const after = (
      await t.s.alerts.raise([bruteForce({ TargetUserName: 'frank', IpAddress: ip }, T0 + 126 * MIN)])
    )[0]!;
    expect(after.deduplicated).toBe(false);
    expect(after.incidentKey).not.toBe(late.incidentKey);
  });

  it('declares no incident for a low alert alone, but attaches one to an open group', async () => {
    const low = (
      await t.s.alerts.raise([
        bruteForce({ TargetUserName: 'gina', IpAddress: '192.0.2.88' }, T0, {
          level: 'low',
          ruleId: 'tocsin-failed-login',
        }),
      ])
    )[0]!;
    expect(low).toMatchObject({ status: 'open', incidentKey: null });
    const high = (
      await t.s.alerts.raise([bruteForce({ TargetUserName: 'gina', IpAddress: '192.0.2.88' }, T0 + MIN)])
    )[0]!;
    const lowAgain = (
      await t.s.alerts.raise([
        bruteForce({ TargetUserName: 'hank', IpAddress: '192.0.2.88' }, T0 + 2 * MIN, {
          level: 'low',
          ruleId: 'tocsin-failed-login',
        }),
      ])
    )[0]!;
    expect(high.incidentKey).not.toBeNull();
    expect(lowAgain.incidentKey).toBe(high.incidentKey);
  });

  it('holds alerts back under a suppression, with a record, and counts its hits', async () => {
    const s = await t.s.suppressions.create(responder, {
      ruleId: 'tocsin-brute-force',
      entity: { kind: 'ip', value: '10.20.0.0/16' },
      reason: 'Pen test from the red team subnet',
    });
    events.length = 0;
    const [held, free] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'ivan', IpAddress: '10.20.3.4' }),
      bruteForce({ TargetUserName: 'ivan', IpAddress: '10.21.3.4' }),
    ]);
    expect(held).toMatchObject({ status: 'suppressed', incidentKey: null });
    expect(free).toMatchObject({ status: 'open', incidentKey: expect.any(String) });
    const alert = await alertOf(held!.alertId);
    expect(alert.heldBy).toEqual({
      kind: 'suppression',
      id: s.id,
      reason: 'Pen test from the red team subnet',
      reasonWithheld: false,
    });
    expect(alert.events).toHaveLength(1);
    expect((await t.s.audit.list({ targetId: alert.id }, 5)).items.map((a) => a.action)).toEqual(['alert.suppress']);
    expect(
      events
        .filter((e) => e.event === 'alert.raised')
        .map((e) => e.alert!.status)
        .sort(),
    ).toEqual(['open', 'suppressed']);
    // A held repeat is counted into the held alert.
    const again = (
      await t.s.alerts.raise([bruteForce({ TargetUserName: 'ivan', IpAddress: '10.20.3.4' }, T0 + MIN)])
    )[0]!;
    expect(again).toMatchObject({ alertId: held!.alertId, deduplicated: true, status: 'suppressed' });
    const listed = (await t.s.suppressions.list(admin, undefined, 50)).items.find((x) => x.id === s.id)!;
    expect(listed).toMatchObject({ hits: 2, lastHitAt: expect.any(String), createdBy: { id: responder.user.id } });

    // Deleted (kept on record): the next one goes through as a new, open alert.
    await t.s.suppressions.remove(responder, s.id);
    const through = (
      await t.s.alerts.raise([bruteForce({ TargetUserName: 'ivan', IpAddress: '10.20.3.4' }, T0 + 2 * MIN)])
    )[0]!;
    expect(through).toMatchObject({ status: 'open', deduplicated: false });
    expect((await alertOf(held!.alertId)).heldBy?.reason).toBe('Pen test from the red team subnet');
    expect((await t.s.audit.list({ targetId: s.id }, 5)).items.map((a) => a.action)).toEqual([
      'suppression.delete',
      'suppression.create',
    ]);
  });

  it('lets an expired suppression lapse', async () => {
    await t.s.suppressions.create(admin, {
      entity: { kind: 'account', value: 'Jack' },
      reason: 'QA account',
      expiresAt: new Date(now + 10 * MIN).toISOString(),
    });
    expect((await t.s.alerts.raise([bruteForce({ TargetUserName: 'jack', IpAddress: '192.0.2.91' })]))[0]!.status).toBe(
      'suppressed',
    );
    now += 11 * MIN;
    try {
      expect(
        (await t.s.alerts.raise([bruteForce({ TargetUserName: 'jack', IpAddress: '192.0.2.92' })]))[0]!.status,
      ).toBe('open');
    } finally {
      now = T0;
    }
  });

  it('holds alerts during a maintenance window for its services, and rule+entity windows need both', async () => {
    const w = await t.s.suppressions.createWindow(admin, {
      services: ['online-trading'],
      ruleIds: [],
      entities: [],
      startsAt: new Date(T0 - MIN).toISOString(),
      endsAt: new Date(T0 + 30 * MIN).toISOString(),
      reason: 'Trading gateway upgrade CHG-1234',
    });
    const [during, outside, other] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'kim', IpAddress: '192.0.2.101', 'service.name': 'online-trading' }, T0 + 5 * MIN),
      bruteForce({ TargetUserName: 'kim', IpAddress: '192.0.2.102', 'service.name': 'online-trading' }, T0 + 45 * MIN),
      bruteForce({ TargetUserName: 'kim', IpAddress: '192.0.2.103' }, T0 + 5 * MIN),
    ]);
    expect([during!.status, outside!.status, other!.status]).toEqual(['suppressed', 'open', 'open']);
    expect((await alertOf(during!.alertId)).heldBy).toEqual({
      kind: 'maintenance',
      id: w.id,
      reason: 'Trading gateway upgrade CHG-1234',
      reasonWithheld: false,
    });

    await t.s.suppressions.createWindow(admin, {
      services: [],
      ruleIds: ['tocsin-brute-force'],
      entities: [{ kind: 'host', value: 'GW-01' }],
      startsAt: new Date(T0).toISOString(),
      endsAt: new Date(T0 + 60 * MIN).toISOString(),
      reason: 'Gateway patching',
    });
    const [both, ruleOnly] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'lee', Computer: 'gw-01' }, T0 + MIN),
      bruteForce({ TargetUserName: 'lee', Computer: 'gw-02' }, T0 + MIN),
    ]);
    expect([both!.status, ruleOnly!.status]).toEqual(['suppressed', 'open']);
  });

  it('marks a false positive with a reason, suppresses the rule for that entity, and says so in the incident', async () => {
    const [out] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'monitor-bot', IpAddress: '192.0.2.120' }, T0, {
        ruleId: 'tocsin-login-burst',
        ruleTitle: 'Login burst',
      }),
    ]);
    await expect(
      t.s.alerts.markFalsePositive(responder, out!.alertId, {
        reason: 'x',
        suppress: { entity: { kind: 'account', value: 'someone-else' } },
      }),
    ).rejects.toMatchObject({ status: 422 });
    const fp = await t.s.alerts.markFalsePositive(responder, out!.alertId, {
      reason: 'Synthetic monitoring logs in every minute',
      suppress: { entity: { kind: 'account', value: 'Monitor-Bot' } },
    });
    expect(fp).toMatchObject({
      status: 'false_positive',
      falsePositive: { by: { id: responder.user.id }, reason: 'Synthetic monitoring logs in every minute' },
    });
    const sup = (await t.s.suppressions.list(admin, undefined, 50)).items.find((s) => s.fromAlertId === out!.alertId)!;
    expect(sup).toMatchObject({
      ruleId: 'tocsin-login-burst',
      entity: { kind: 'account', value: 'monitor-bot' },
      reason: 'False positive: Synthetic monitoring logs in every minute',
      expiresAt: null,
    });
    const actions = (await t.s.audit.list({}, 5)).items.map((a) => [a.action, a.actor.id]);
    expect(actions.slice(0, 2)).toEqual([
      ['alert.false_positive', responder.user.id],
      ['suppression.create', responder.user.id],
    ]);
    const note = (await timelineOf(out!.incidentKey!)).at(-1)!;
    expect(note).toMatchObject({
      actor: { id: responder.user.id },
      data: { event: 'alert_false_positive', alertId: out!.alertId, suppressionId: sup.id },
    });

    // The same rule and entity are now held back; another account is not.
    const [held, other] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'monitor-bot', IpAddress: '192.0.2.121' }, T0 + MIN, {
        ruleId: 'tocsin-login-burst',
        ruleTitle: 'Login burst',
      }),
      bruteForce({ TargetUserName: 'nora', IpAddress: '192.0.2.121' }, T0 + MIN, {
        ruleId: 'tocsin-login-burst',
        ruleTitle: 'Login burst',
      }),
    ]);
    expect(held).toMatchObject({ status: 'suppressed' });
    expect((await alertOf(held!.alertId)).heldBy).toMatchObject({ kind: 'suppression', id: sup.id });
    expect(other!.status).toBe('open');
    await expect(t.s.alerts.markFalsePositive(responder, out!.alertId, { reason: 'again' })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('acknowledges once, and links an alert to another incident with entries in both timelines', async () => {
    const [out] = await t.s.alerts.raise([bruteForce({ TargetUserName: 'olga', IpAddress: '192.0.2.130' })]);
    const ack = await t.s.alerts.acknowledge(responder, out!.alertId);
    expect(ack).toMatchObject({
      status: 'acknowledged',
      acknowledged: { by: { id: responder.user.id, name: responder.user.name } },
    });
    await expect(t.s.alerts.acknowledge(responder, out!.alertId)).rejects.toMatchObject({ status: 409 });

    const target = await t.s.incidents.create(admin, {
      title: 'Account takeover wave',
      summary: '',
      category: 'network_attack',
      grade: 'II',
      services: [],
      tags: [],
      restricted: false,
    });
    const linked = await t.s.alerts.link(responder, out!.alertId, target.key);
    expect(linked.incident).toEqual({ key: target.key, title: 'Account takeover wave', titleI18n: null });
    expect((await timelineOf(target.key)).at(-1)).toMatchObject({
      actor: { id: responder.user.id },
      data: { event: 'alert_linked', alertId: out!.alertId, from: out!.incidentKey },
    });
    expect((await timelineOf(out!.incidentKey!)).at(-1)).toMatchObject({
      data: { event: 'alert_unlinked', to: target.key },
    });
    expect((await t.s.audit.list({ targetId: out!.alertId }, 5)).items.map((a) => a.action)).toEqual([
      'alert.link',
      'alert.acknowledge',
      'alert.raise',
    ]);
  });

  it('withholds a suppression reason written in a restricted incident from staff outside it', async () => {
    const [out] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'vip-client', IpAddress: '192.0.2.150' }, T0, {
        ruleId: 'tocsin-vip-watch',
        ruleTitle: 'VIP watch',
      }),
    ]);
    await t.s.incidents.update(admin, out!.incidentKey!, { restricted: true });
    await t.s.incidents.addParticipant(admin, out!.incidentKey!, responder.user.id, 'technical_lead');
    const outsider = await principal('communications');
    const secret = "Insider case 7: the chairman's account, handled by legal";
    await t.s.alerts.markFalsePositive(responder, out!.alertId, {
      reason: secret,
      suppress: { entity: { kind: 'account', value: 'vip-client' } },
    });

    const supId = (await t.s.suppressions.list(admin, undefined, 100)).items.find(
      (x) => x.fromAlertId === out!.alertId,
    )!.id;
    const seenBy = async (who: Principal) =>
      (await t.s.suppressions.list(who, undefined, 100)).items.find((x) => x.id === supId)!;
    // Rule, entity and alert were written inside the incident too.
    expect(await seenBy(outsider)).toMatchObject({
      reason: '',
      reasonWithheld: true,
      ruleId: null,
      entity: null,
      fromAlertId: null,
    });
    expect(await seenBy(responder)).toMatchObject({ reason: `False positive: ${secret}`, reasonWithheld: false });
    expect(await seenBy(admin)).toMatchObject({ reason: `False positive: ${secret}`, reasonWithheld: false });

    // An alert it holds back is outside the incident, readable by all staff: the reason does not travel with it.
    const [held] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'vip-client', IpAddress: '192.0.2.151' }, T0 + MIN, {
        ruleId: 'tocsin-vip-watch',
        ruleTitle: 'VIP watch',
      }),
    ]);
    expect(held!.status).toBe('suppressed');
    const shown = await t.s.alerts.get(outsider, held!.alertId);
    expect(shown.heldBy).toMatchObject({ kind: 'suppression', reason: '', reasonWithheld: true });
    expect(JSON.stringify(shown)).not.toContain('chairman');
  });

  it('knows a service created a moment ago (the catalog cache reloads after a change)', async () => {
    await t.s.alerts.raise([bruteForce({ TargetUserName: 'warm-cache', 'service.name': 'online-trading' })]);
    await t.s.catalog.create(SYSTEM, {
      key: 'margin-trading',
      nameZh: '融资融券',
      nameEn: 'Margin trading',
      description: '',
    });
    const [out] = await t.s.alerts.raise([
      bruteForce({ TargetUserName: 'fresh-service', 'service.name': 'margin-trading' }, T0, {
        ruleId: 'tocsin-margin-watch',
      }),
    ]);
    expect((await alertOf(out!.alertId)).services).toEqual(['margin-trading']);
  });

  it('keeps the audit chain intact through all of it', async () => {
    const v = await t.s.audit.verify();
    expect(v.ok).toBe(true);
    expect(v.checked).toBeGreaterThan(30);
  });
});
