/**
 * Need-to-know holes: who may restrict an incident, who may name its commander, alerts moved into
 * restricted incidents (timelines, the live stream, suppressions made there), one role per person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { openSse } from '../helpers/sse.js';
import { STORE_KINDS } from '../helpers/store.js';

const declare = (over: Record<string, unknown> = {}) => ({
  title: 'Clearing file late',
  category: 'equipment_failure',
  grade: 'III',
  ...over,
});
let n = 0;
/** A high alert on `account`, which declares an incident of its own. */
const accountWatch = (t: TestApp, account: string) =>
  buildAlert(t.s, {
    ruleId: `ntk-rule-${++n}`,
    ruleTitle: 'Chairman account watch',
    level: 'high',
    events: [
      {
        id: `ntk-ev-${n}`,
        time: Date.now(),
        source: 'api',
        logsource: { product: 'windows', service: 'security' },
        fields: { TargetUserName: account, IpAddress: '192.0.2.77' },
      },
    ],
  });

describe.each(STORE_KINDS)('need-to-know (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  let otherIc: Session;
  let responder: Session;
  let outsider: Session;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    otherIc = await t.login('incident_commander');
    responder = await t.login('responder');
    outsider = await t.login('communications');
  });
  afterAll(() => t.close());

  const create = async (s: Session, body: Record<string, unknown>) => {
    const res = await t.as(s, { method: 'POST', url: '/api/v1/incidents', payload: declare(body) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as {
      key: string;
      version: number;
      restricted: boolean;
      commander: { id: string } | null;
      participants: { userId: string; role: string }[];
    };
  };
  const get = async (key: string) => (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}` })).json();
  const patch = (s: Session, key: string, payload: Record<string, unknown>) =>
    t.as(s, { method: 'PATCH', url: `/api/v1/incidents/${key}`, payload });
  const timeline = async (s: Session, key: string) =>
    (await t.as(s, { method: 'GET', url: `/api/v1/incidents/${key}/timeline?limit=200` })).json().items as {
      text: string;
      data: Record<string, unknown> | null;
    }[];

  describe('changing who may see an incident', () => {
    it('refuses a responder either way, naming why, and changes nothing; other edits still work', async () => {
      const open = await create(admin, { commanderId: ic.userId });
      const p = expectProblem(await patch(responder, open.key, { restricted: true, title: 'Hidden now' }), 403);
      expect(p.detail).toMatch(/only the commander of INC-\d{4}-\d{4} or an administrator may change who may see it/);
      expect(await get(open.key)).toMatchObject({
        restricted: false,
        title: 'Clearing file late',
        version: open.version,
      });
      expect((await patch(responder, open.key, { title: 'Clearing file late (T+1)' })).statusCode).toBe(200);
      // Sending the value it already has is no change.
      expect((await patch(responder, open.key, { restricted: false, summary: 'Vendor says 10:30' })).statusCode).toBe(
        200,
      );

      // A responder on a restricted incident cannot open it up either.
      const hidden = await create(admin, { commanderId: ic.userId, restricted: true });
      await t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${hidden.key}/participants`,
        payload: { userId: responder.userId, role: 'technical_lead' },
      });
      const before = await get(hidden.key);
      expectProblem(await patch(responder, hidden.key, { restricted: false }), 403);
      expect(await get(hidden.key)).toMatchObject({ restricted: true, version: before.version });
      // Nor can an incident commander who does not command this one.
      expectProblem(await patch(otherIc, open.key, { restricted: true }), 403);
    });

    it("lets the incident's commander and administrators restrict and un-restrict it", async () => {
      const inc = await create(admin, { commanderId: ic.userId });
      expect((await patch(ic, inc.key, { restricted: true })).json()).toMatchObject({ restricted: true });
      expect((await patch(ic, inc.key, { restricted: false })).json()).toMatchObject({ restricted: false });
      expect((await patch(admin, inc.key, { restricted: true })).json()).toMatchObject({ restricted: true });
      expect((await patch(admin, inc.key, { restricted: false })).json()).toMatchObject({ restricted: false });
    });

    it('lets a responder who takes command of an incident without one restrict it in the same edit', async () => {
      const inc = await create(responder, {});
      expectProblem(await patch(responder, inc.key, { restricted: true }), 403);
      const res = await patch(responder, inc.key, { commanderId: responder.userId, restricted: true });
      expect(res.json()).toMatchObject({ restricted: true, commander: { id: responder.userId } });
    });
  });

  describe('naming the commander (one rule when declaring and later)', () => {
    it('lets a responder take command of what they declare, but not name someone else', async () => {
      const count = async () =>
        (await t.as(admin, { method: 'GET', url: '/api/v1/incidents?limit=200' })).json().items.length as number;
      const before = await count();
      const p = expectProblem(
        await t.as(responder, {
          method: 'POST',
          url: '/api/v1/incidents',
          payload: declare({ commanderId: ic.userId }),
        }),
        403,
      );
      expect(p.detail).toMatch(/may take command of an incident yourself but not name someone else/);
      expect(await count()).toBe(before);
      const mine = await create(responder, { commanderId: responder.userId });
      expect(mine.commander).toMatchObject({ id: responder.userId });
      expect(mine.participants).toEqual([
        expect.objectContaining({ userId: responder.userId, role: 'incident_commander' }),
      ]);
    });

    it('lets a responder take command later of an incident that has none, never hand it on or take it over', async () => {
      const none = await create(admin, {});
      expectProblem(await patch(responder, none.key, { commanderId: ic.userId }), 403);
      expect((await patch(responder, none.key, { commanderId: responder.userId })).json()).toMatchObject({
        commander: { id: responder.userId },
      });
      expect((await timeline(admin, none.key)).at(-1)).toMatchObject({
        data: { event: 'participant_added', userId: responder.userId, role: 'incident_commander' },
      });

      const led = await create(admin, { commanderId: ic.userId });
      const p = expectProblem(await patch(responder, led.key, { commanderId: responder.userId }), 403);
      expect(p.detail).toMatch(/already has a commander/);
      expectProblem(await patch(responder, led.key, { commanderId: null }), 403);
      expect((await get(led.key)).commander).toMatchObject({ id: ic.userId });
    });

    it('lets incident commanders and administrators name anyone, when declaring and later', async () => {
      const inc = await create(ic, { commanderId: otherIc.userId });
      expect(inc.commander).toMatchObject({ id: otherIc.userId });
      expect((await patch(ic, inc.key, { commanderId: ic.userId })).json().commander).toMatchObject({ id: ic.userId });
      expect((await patch(admin, inc.key, { commanderId: null })).json().commander).toBeNull();
    });
  });

  describe('one person, one role on an incident', () => {
    it("lists a restricted incident's declarer once when they are then made commander", async () => {
      const inc = await create(responder, { restricted: true });
      expect(inc.participants).toEqual([expect.objectContaining({ userId: responder.userId, role: 'observer' })]);
      const res = await t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${inc.key}/participants`,
        payload: { userId: responder.userId, role: 'incident_commander' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().participants).toEqual([
        expect.objectContaining({ userId: responder.userId, role: 'incident_commander' }),
      ]);
      expect(res.json().commander).toMatchObject({ id: responder.userId });
      expect((await timeline(admin, inc.key)).at(-1)).toMatchObject({
        data: {
          event: 'participant_role_changed',
          userId: responder.userId,
          from: 'observer',
          to: 'incident_commander',
        },
      });
    });

    it('changes the role of someone already on it, refuses the same role twice, keeps the commander a commander', async () => {
      const inc = await create(admin, { commanderId: ic.userId });
      const add = (userId: string, role: string) =>
        t.as(admin, { method: 'POST', url: `/api/v1/incidents/${inc.key}/participants`, payload: { userId, role } });
      expect((await add(responder.userId, 'technical_lead')).statusCode).toBe(200);
      const moved = (await add(responder.userId, 'scribe')).json();
      expect(moved.participants.filter((x: { userId: string }) => x.userId === responder.userId)).toEqual([
        expect.objectContaining({ role: 'scribe' }),
      ]);
      expectProblem(await add(responder.userId, 'scribe'), 409);
      const p = expectProblem(await add(ic.userId, 'observer'), 409);
      expect(p.detail).toMatch(/is the commander of/);
      // A participant made commander is listed once, as commander; the former commander leaves.
      const handover = (await add(responder.userId, 'incident_commander')).json();
      expect(handover.participants.map((x: { userId: string; role: string }) => [x.userId, x.role])).toEqual([
        [responder.userId, 'incident_commander'],
      ]);
      const ids = handover.participants.map((x: { userId: string }) => x.userId);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('keeps it so in the store: a second row for the same person is refused', async () => {
      const inc = await create(admin, { commanderId: ic.userId });
      const row = await t.s.store.db
        .selectFrom('incidents')
        .select('id')
        .where('key', '=', inc.key)
        .executeTakeFirstOrThrow();
      await expect(
        t.s.store.db
          .insertInto('incident_participants')
          .values({ incident_id: row.id, user_id: ic.userId, role: 'observer', added_at: Date.now() })
          .execute(),
      ).rejects.toThrow(/unique|UNIQUE/);
    });
  });

  describe('alerts moved into a restricted incident', () => {
    let listening: string | undefined;
    const url = async () => (listening ??= await t.app.listen({ port: 0, host: '127.0.0.1' }));

    it("says only that on the source incident's timeline and stream; members see the full entry on the destination", async () => {
      const raised = await accountWatch(t, 'chairman-wang');
      const source = raised.incidentKey!;
      const secret = await create(admin, { title: 'Insider case 7', restricted: true, commanderId: ic.userId });
      const stream = await openSse(`${await url()}/api/v1/stream`, { cookie: outsider.cookie });
      try {
        const res = await t.as(ic, {
          method: 'POST',
          url: `/api/v1/alerts/${raised.alertId}/link`,
          payload: { incidentKey: secret.key },
        });
        expect(res.statusCode, res.body).toBe(200);

        const last = (await timeline(outsider, source)).at(-1)!;
        expect(last).toMatchObject({
          text: 'An alert moved to a restricted incident',
          data: { event: 'alert_moved_restricted' },
        });
        const leaks = [
          secret.key,
          raised.alertId,
          'Chairman account watch',
          'ntk-rule-',
          'chairman-wang',
          '192.0.2.77',
        ];
        for (const l of leaks) expect(JSON.stringify(last)).not.toContain(l);

        const pushed = await stream.next(
          (m) => m.event === 'timeline.appended' && (m.data as { incidentKey: string }).incidentKey === source,
        );
        expect(pushed.data).toMatchObject({ entry: { data: { event: 'alert_moved_restricted' } } });
        for (const l of leaks) expect(JSON.stringify(stream.messages)).not.toContain(l);

        const inside = (await timeline(ic, secret.key)).at(-1)!;
        expect(inside).toMatchObject({
          data: { event: 'alert_linked', alertId: raised.alertId, ruleTitle: 'Chairman account watch', from: source },
        });
      } finally {
        stream.close();
      }

      // Moved on to a public incident: it arrives "from a restricted incident", without the key.
      const next = await create(admin, { title: 'Account takeover wave' });
      expect(
        (
          await t.as(ic, {
            method: 'POST',
            url: `/api/v1/alerts/${raised.alertId}/link`,
            payload: { incidentKey: next.key },
          })
        ).statusCode,
      ).toBe(200);
      const arrived = (await timeline(outsider, next.key)).at(-1)!;
      expect(arrived).toMatchObject({
        text: expect.stringContaining('linked from a restricted incident'),
        data: { event: 'alert_linked', from: null, fromRestricted: true },
      });
      expect(JSON.stringify(arrived)).not.toContain(secret.key);
    });

    it('withholds rule, entity and alert of a suppression made there from outsiders, who cannot end it either', async () => {
      const raised = await accountWatch(t, 'vip-li');
      const secret = await create(admin, { title: 'VIP case', restricted: true, commanderId: ic.userId });
      await t.as(ic, {
        method: 'POST',
        url: `/api/v1/alerts/${raised.alertId}/link`,
        payload: { incidentKey: secret.key },
      });
      const fp = await t.as(ic, {
        method: 'POST',
        url: `/api/v1/alerts/${raised.alertId}/false-positive`,
        payload: {
          reason: 'Legal hold on the VIP account',
          suppress: { entity: { kind: 'account', value: 'vip-li' } },
        },
      });
      expect(fp.statusCode, fp.body).toBe(200);
      const list = async (s: Session) =>
        (await t.as(s, { method: 'GET', url: '/api/v1/suppressions?limit=200' })).json().items as {
          id: string;
          fromAlertId: string | null;
        }[];
      const id = (await list(admin)).find((s) => s.fromAlertId === raised.alertId)!.id;

      const seen = (await list(outsider)).find((s) => s.id === id)!;
      expect(seen).toMatchObject({ ruleId: null, entity: null, fromAlertId: null, reason: '', reasonWithheld: true });
      expect(JSON.stringify(await list(outsider))).not.toMatch(/vip-li|Legal hold|ntk-rule-/);
      expect((await list(ic)).find((s) => s.id === id)).toMatchObject({
        entity: { kind: 'account', value: 'vip-li' },
        fromAlertId: raised.alertId,
        reasonWithheld: false,
      });

      const p = expectProblem(await t.as(responder, { method: 'DELETE', url: `/api/v1/suppressions/${id}` }), 403);
      expect(p.detail).toMatch(/restricted incident/);
      expect((await list(admin)).some((s) => s.id === id)).toBe(true);
      expect((await t.as(ic, { method: 'DELETE', url: `/api/v1/suppressions/${id}` })).statusCode).toBe(204);
    });
  });
});
