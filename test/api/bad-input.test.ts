/** Bad input and faults: what a caller sees when a request is wrong, forbidden, hidden or the server fails. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, PASSWORD, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident, buildToken } from '../helpers/fixtures.js';
import { errorPaths, expectNothingInternal, expectProblem } from '../helpers/problem.js';
import { openSse } from '../helpers/sse.js';
import { countRows, STORE_KINDS } from '../helpers/store.js';
const BODY_LIMIT = 4096;
const declare = (extra: Record<string, unknown> = {}) => ({
  title: 'Order gateway down',
  category: 'equipment_failure',
  grade: 'III',
  ...extra,
});

/** Text that breaks naive SQL, HTML and JSON handling (under 120 characters: it fits a user's name too; no surrounding spaces: text is trimmed). */
const NASTY = `Robert'); DROP TABLE incidents;-- ' OR '1'='1 <script>alert("x")</script> &amp; \\ %_ 中文🚨\u200b\nline2`;

describe.each(STORE_KINDS)('bad input and faults (%s)', (kind) => {
  let t: TestApp;
  let offsetMs = 0;
  const clock: Clock = { now: () => Date.now() + offsetMs };
  let admin: Session;
  let ic: Session;
  let responder: Session;
  let executive: Session;

  const countIncidents = () => countRows(t.s.store, 'incidents');

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      { TOCSIN_BODY_LIMIT_BYTES: String(BODY_LIMIT), TOCSIN_SESSION_TTL_HOURS: '1' },
      { clock },
    );
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    responder = await t.login('responder');
    executive = await t.login('executive');
  });
  afterAll(() => t.close());

  describe('malformed and mistyped input', () => {
    it('answers malformed JSON with 400 problem+json and creates nothing', async () => {
      const before = await countIncidents();
      for (const payload of ['{"title": ', '{title: "x"}', '[1,2', '{"a":1}}', '\u0000']) {
        const res = await t.as(ic, {
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { 'content-type': 'application/json' },
          payload,
        });
        const p = expectProblem(res, 400);
        expect(p.title).toMatch(/JSON/);
      }
      // An empty body with a JSON content type is malformed too.
      expectProblem(
        await t.as(ic, {
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { 'content-type': 'application/json' },
          payload: '',
        }),
        400,
      );
      expect(await countIncidents()).toBe(before);
    });

    it('refuses prototype-pollution keys and other media types', async () => {
      const proto = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { 'content-type': 'application/json' },
        payload: `{"__proto__":{"isAdmin":true},"title":"x","category":"other","grade":"IV"}`,
      });
      expectProblem(proto, 400);
      expectProblem(
        await t.as(ic, {
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { 'content-type': 'application/xml' },
          payload: '<incident/>',
        }),
        415,
      );
      // A missing body where one is required names the body.
      expect(errorPaths(expectProblemRes(await t.as(ic, { method: 'POST', url: '/api/v1/incidents' }), 400))).toEqual([
        'body',
      ]);
    });

    it('names every field of the wrong type', async () => {
      const res = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: {
          title: 123,
          category: 'meteor_strike',
          grade: 5,
          restricted: 'yes',
          tags: 'a,b',
          impact: { customersAffected: -1, fundsAtRisk: { amountMinor: 1.5, currency: 'yuan' } },
        },
      });
      const p = expectProblem(res, 400);
      expect(errorPaths(res)).toEqual(
        expect.arrayContaining([
          'body.title',
          'body.category',
          'body.grade',
          'body.restricted',
          'body.tags',
          'body.impact.customersAffected',
          'body.impact.fundsAtRisk.amountMinor',
          'body.impact.fundsAtRisk.currency',
        ]),
      );
      expect(p.errors!.every((e) => e.message.length > 0)).toBe(true);
      expect(p.detail).toContain('body.grade');

      const q = await t.as(ic, { method: 'GET', url: '/api/v1/incidents?limit=lots&status=exploded' });
      expectProblem(q, 400);
      expect(errorPaths(q)).toEqual(expect.arrayContaining(['query.limit', 'query.status']));

      const key = await t.as(ic, { method: 'GET', url: '/api/v1/incidents/not-a-key' });
      expect(errorPaths(expectProblemRes(key, 400))).toEqual(['params.key']);
    });

    it('rejects unknown fields, naming each one, at any depth', async () => {
      const before = await countIncidents();
      const top = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: declare({ bogus: 1, isAdmin: true }),
      });
      expectProblem(top, 400);
      expect(errorPaths(top).sort()).toEqual(['body.bogus', 'body.isAdmin']);
      expect(top.json().errors[0].message).toMatch(/unknown field/);

      const nested = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: declare({ impact: { tradingInterrupted: true, extra: 'x' } }),
      });
      expect(errorPaths(expectProblemRes(nested, 400))).toEqual(['body.impact.extra']);

      const query = await t.as(ic, { method: 'GET', url: '/api/v1/incidents?sort=title' });
      expect(errorPaths(expectProblemRes(query, 400))).toEqual(['query.sort']);
      expect(await countIncidents()).toBe(before);

      // The lifecycle cannot be side-stepped by PATCHing the status or a milestone.
      const inc = await buildIncident(t.s, { by: ic });
      const patch = await t.as(ic, {
        method: 'PATCH',
        url: `/api/v1/incidents/${inc.key}`,
        payload: { status: 'closed', closedAt: new Date().toISOString() },
      });
      expect(errorPaths(expectProblemRes(patch, 400)).sort()).toEqual(['body.closedAt', 'body.status']);
      expect((await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}` })).json().status).toBe('detected');
    });

    it('answers a body over the size limit with 413 and stores nothing', async () => {
      const before = await countIncidents();
      const res = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: declare({ summary: 'x'.repeat(BODY_LIMIT + 10) }),
      });
      const p = expectProblem(res, 413);
      expect(p.title).toMatch(/too large/i);
      expect(await countIncidents()).toBe(before);
      // Just under the limit is fine.
      const ok = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: declare({ summary: 'x'.repeat(BODY_LIMIT - 200) }),
      });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('refuses text with a NUL character alike on every store, naming the field', async () => {
      const before = await countIncidents();
      const res = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: declare({ title: 'a\u0000b', tags: ['ok', 'b\u0000'] }),
      });
      expect(errorPaths(expectProblemRes(res, 400)).sort()).toEqual(['body.tags.1', 'body.title']);
      expect(await countIncidents()).toBe(before);
      expectProblem(await t.as(ic, { method: 'GET', url: '/api/v1/incidents?q=%00' }), 400);
      expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/users/a%00b' }), 400);
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { email: 'x\u0000@test.example', password: PASSWORD },
        }),
        400,
      );
    });
  });

  describe('lifecycle, sessions, CSRF and roles', () => {
    it('refuses an illegal transition with 409 and leaves the incident as it was', async () => {
      const inc = await buildIncident(t.s, { by: ic });
      for (const to of ['closed', 'recovered', 'contained', 'eradicated', 'detected']) {
        const res = await t.as(ic, {
          method: 'POST',
          url: `/api/v1/incidents/${inc.key}/transitions`,
          payload: { to },
        });
        const p = expectProblem(res, 409);
        expect(p.detail).toContain(`detected to ${to}`);
      }
      const now = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}` })).json();
      expect(now.status).toBe('detected');
      expect(now.version).toBe(inc.version);
      const tl = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}/timeline` })).json();
      expect(tl.items.filter((e: { kind: string }) => e.kind === 'status_change')).toHaveLength(0);
      // An unknown status is a validation error, not a conflict.
      expectProblem(
        await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${inc.key}/transitions`, payload: { to: 'solved' } }),
        400,
      );
      // A missing incident is 404.
      expectProblem(
        await t.as(ic, {
          method: 'POST',
          url: '/api/v1/incidents/INC-1999-9999/transitions',
          payload: { to: 'acknowledged' },
        }),
        404,
      );
    });

    it('treats an expired session as signed out: 401 on reads and writes, never 403', async () => {
      const s = await t.login('responder');
      expect((await t.as(s, { method: 'GET', url: '/api/v1/session' })).statusCode).toBe(200);
      offsetMs = 3600_000 + 1000; // past the one-hour TTL
      try {
        expectProblem(await t.as(s, { method: 'GET', url: '/api/v1/session' }), 401);
        expectProblem(await t.as(s, { method: 'GET', url: '/api/v1/incidents' }), 401);
        expectProblem(await t.as(s, { method: 'POST', url: '/api/v1/incidents', payload: declare() }), 401);
        // Without the CSRF header it is still "sign in again", not "forbidden".
        expectProblem(
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/incidents',
            headers: { cookie: s.cookie },
            payload: declare(),
          }),
          401,
        );
      } finally {
        offsetMs = 0;
      }
    });

    it('requires the CSRF header on every cookie-authenticated write, but not on reads or token writes', async () => {
      const before = await countIncidents();
      const noHeader = await t.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { cookie: ic.cookie },
        payload: declare(),
      });
      expect(expectProblem(noHeader, 403).detail).toMatch(/CSRF/i);
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { cookie: ic.cookie, 'x-csrf-token': `${ic.csrf}x` },
        payload: declare(),
      });
      expectProblem(wrong, 403);
      const otherSessions = await t.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { cookie: ic.cookie, 'x-csrf-token': responder.csrf },
        payload: declare(),
      });
      expectProblem(otherSessions, 403);
      expectProblem(
        await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: ic.cookie } }),
        403,
      );
      expect(await countIncidents()).toBe(before);

      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { cookie: ic.cookie } })).statusCode,
      ).toBe(200);
      const { token } = await buildToken(t.s, ic.userId, { scopes: ['write'] });
      const viaToken = await t.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { authorization: `Bearer ${token}` },
        payload: declare(),
      });
      expect(viaToken.statusCode, viaToken.body).toBe(201);
    });

    it('answers a role without the permission with 403 naming the role', async () => {
      const before = await countIncidents();
      const p = expectProblem(
        await t.as(executive, { method: 'POST', url: '/api/v1/incidents', payload: declare() }),
        403,
      );
      expect(p.detail).toContain('executive');
      expect(await countIncidents()).toBe(before);
      expectProblem(
        await t.as(responder, {
          method: 'POST',
          url: '/api/v1/users',
          payload: { email: 'x@test.example', name: 'x', role: 'admin', password: PASSWORD },
        }),
        403,
      );
      expectProblem(await t.as(responder, { method: 'GET', url: '/api/v1/audit' }), 403);
    });
  });

  describe('need-to-know', () => {
    let secret: { key: string };
    let member: Session;
    let listening: string | undefined;
    const url = async () => (listening ??= await t.app.listen({ port: 0, host: '127.0.0.1' }));

    beforeAll(async () => {
      member = await t.login('responder');
      secret = await buildIncident(t.s, { by: admin, title: 'Insider trading probe', restricted: true });
      await t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${secret.key}/participants`,
        payload: { userId: member.userId, role: 'technical_lead' },
      });
    });

    it('answers a non-participant 404 (exactly as for a key that does not exist) on every incident route', async () => {
      const missing = await t.as(responder, { method: 'GET', url: '/api/v1/incidents/INC-1999-0001' });
      const hidden = await t.as(responder, { method: 'GET', url: `/api/v1/incidents/${secret.key}` });
      const m = expectProblem(missing, 404);
      const h = expectProblem(hidden, 404);
      // Only the key asked for differs (echoed in detail and params), never a hint that the incident exists.
      expect({ ...h, detail: undefined, instance: undefined, params: undefined }).toEqual({
        ...m,
        detail: undefined,
        instance: undefined,
        params: undefined,
      });
      expect([m, h].map((p) => (p as { code?: string; params?: unknown }).params)).toEqual([
        { key: 'INC-1999-0001' },
        { key: secret.key },
      ]);
      expect(hidden.body).not.toContain('Insider');

      const k = secret.key;
      const attempts = [
        { method: 'GET', url: `/api/v1/incidents/${k}/timeline` },
        { method: 'GET', url: `/api/v1/incidents/${k}/tasks` },
        { method: 'PATCH', url: `/api/v1/incidents/${k}`, payload: { title: 'mine now' } },
        { method: 'POST', url: `/api/v1/incidents/${k}/transitions`, payload: { to: 'acknowledged' } },
        { method: 'POST', url: `/api/v1/incidents/${k}/timeline`, payload: { text: 'peek' } },
        { method: 'POST', url: `/api/v1/incidents/${k}/tasks`, payload: { title: 'peek' } },
      ] as const;
      for (const a of attempts) expectProblem(await t.as(responder, a), 404);
      // An incident commander who is not on it cannot staff it either.
      expectProblem(
        await t.as(ic, {
          method: 'POST',
          url: `/api/v1/incidents/${k}/participants`,
          payload: { userId: ic.userId, role: 'observer' },
        }),
        404,
      );
      expect((await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${k}` })).json()).toMatchObject({
        title: 'Insider trading probe',
        status: 'detected',
      });
    });

    it("leaves it out of a non-participant's list and search, but not a participant's", async () => {
      const keys = async (s: Session, q = '') =>
        (
          (await t.as(s, { method: 'GET', url: `/api/v1/incidents?limit=200${q}` })).json().items as { key: string }[]
        ).map((i) => i.key);
      expect(await keys(responder)).not.toContain(secret.key);
      expect(await keys(responder, '&q=Insider')).toEqual([]);
      expect(await keys(member)).toContain(secret.key);
      expect(await keys(member, '&q=insider')).toEqual([secret.key]);
      expect(await keys(admin)).toContain(secret.key);
      expect((await t.as(member, { method: 'GET', url: `/api/v1/incidents/${secret.key}/timeline` })).statusCode).toBe(
        200,
      );
    });

    it("does not push its changes on a non-participant's live stream", async () => {
      const outsider = await openSse(`${await url()}/api/v1/stream`, { cookie: responder.cookie });
      const insider = await openSse(`${await url()}/api/v1/stream`, { cookie: member.cookie });
      try {
        const restricted = (
          await t.as(admin, {
            method: 'POST',
            url: '/api/v1/incidents',
            payload: declare({ title: 'Hidden probe', restricted: true }),
          })
        ).json();
        await t.as(admin, {
          method: 'POST',
          url: `/api/v1/incidents/${restricted.key}/participants`,
          payload: { userId: member.userId, role: 'observer' },
        });
        await t.as(admin, {
          method: 'POST',
          url: `/api/v1/incidents/${secret.key}/timeline`,
          payload: { text: 'Hidden note' },
        });
        const open = (
          await t.as(admin, { method: 'POST', url: '/api/v1/incidents', payload: declare({ title: 'Public outage' }) })
        ).json();

        await insider.next(
          (m) => m.event === 'timeline.appended' && (m.data as { incidentKey: string }).incidentKey === secret.key,
        );
        await insider.next(
          (m) => m.event === 'incident.updated' && (m.data as { incidentKey: string }).incidentKey === restricted.key,
        );
        // Events arrive in order: once the outsider has the later public one, the hidden ones would have come first.
        await outsider.next(
          (m) => m.event === 'incident.created' && (m.data as { incidentKey: string }).incidentKey === open.key,
        );
        const leaked = outsider.messages.filter((m) =>
          [restricted.key, secret.key].includes((m.data as { incidentKey: string }).incidentKey),
        );
        expect(leaked).toEqual([]);
        expect(JSON.stringify(outsider.messages)).not.toMatch(/Hidden/);
      } finally {
        outsider.close();
        insider.close();
      }
    });

    it('tells the consoles that saw an incident when it becomes restricted, and a member who leaves it, with its key only', async () => {
      const outsider = await openSse(`${await url()}/api/v1/stream`, { cookie: responder.cookie });
      const insider = await openSse(`${await url()}/api/v1/stream`, { cookie: member.cookie });
      try {
        const inc = (
          await t.as(admin, {
            method: 'POST',
            url: '/api/v1/incidents',
            payload: declare({ title: 'Soon to be restricted' }),
          })
        ).json();
        await t.as(admin, {
          method: 'POST',
          url: `/api/v1/incidents/${inc.key}/participants`,
          payload: { userId: member.userId, role: 'observer' },
        });
        await outsider.next(
          (m) => m.event === 'incident.updated' && (m.data as { incidentKey: string }).incidentKey === inc.key,
        );
        await t.as(admin, {
          method: 'PATCH',
          url: `/api/v1/incidents/${inc.key}`,
          payload: { restricted: true, summary: 'Withheld detail' },
        });
        const gone = await outsider.next((m) => m.event === 'incident.withdrawn');
        expect(gone.data).toEqual({ event: 'incident.withdrawn', incidentKey: inc.key });
        // The member keeps seeing it, with the change.
        await insider.next((m) => m.event === 'incident.updated' && JSON.stringify(m.data).includes('Withheld detail'));
        // When the member leaves, only the member is told.
        await t.as(admin, {
          method: 'DELETE',
          url: `/api/v1/incidents/${inc.key}/participants/${member.userId}/observer`,
        });
        const left = await insider.next((m) => m.event === 'incident.withdrawn');
        expect(left.data).toEqual({ event: 'incident.withdrawn', incidentKey: inc.key });
        const probe = (
          await t.as(admin, {
            method: 'POST',
            url: '/api/v1/incidents',
            payload: declare({ title: 'Later public one' }),
          })
        ).json();
        await outsider.next(
          (m) => m.event === 'incident.created' && (m.data as { incidentKey: string }).incidentKey === probe.key,
        );
        expect(outsider.messages.filter((m) => m.event === 'incident.withdrawn')).toHaveLength(1);
        expect(JSON.stringify(outsider.messages)).not.toMatch(/Withheld detail/);
      } finally {
        outsider.close();
        insider.close();
      }
    });
  });

  describe('hostile text', () => {
    it('stores and returns SQL metacharacters and HTML byte-for-byte as text in every text field', async () => {
      const user = await t.as(admin, {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: `nasty-${kind}@test.example`, name: NASTY, role: 'responder', password: PASSWORD },
      });
      expect(user.statusCode, user.body).toBe(201);
      expect(user.json().name).toBe(NASTY);
      const tags = [`'; DELETE FROM tags;--`, '<b>bold</b>', '%', '_', '"quoted"'];
      const created = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: declare({ title: NASTY, summary: `${NASTY}\n\n${NASTY}`, tags }),
      });
      expect(created.statusCode, created.body).toBe(201);
      const inc = created.json();
      expect(created.headers['content-type']).toMatch(/^application\/json/);
      expect(created.headers['x-content-type-options']).toBe('nosniff');

      const note = await t.as(ic, {
        method: 'POST',
        url: `/api/v1/incidents/${inc.key}/timeline`,
        payload: { text: NASTY },
      });
      expect(note.statusCode, note.body).toBe(201);
      const task = await t.as(ic, {
        method: 'POST',
        url: `/api/v1/incidents/${inc.key}/tasks`,
        payload: { title: NASTY, ownerUserId: user.json().id },
      });
      expect(task.statusCode, task.body).toBe(201);
      const staffed = await t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${inc.key}/participants`,
        payload: { userId: user.json().id, role: 'scribe' },
      });
      expect(staffed.statusCode, staffed.body).toBe(200);

      const got = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}` })).json();
      expect(got.title).toBe(NASTY);
      expect(got.summary).toBe(`${NASTY}\n\n${NASTY}`);
      expect(got.tags).toEqual(tags);
      expect(got.participants.find((p: { userId: string }) => p.userId === user.json().id).name).toBe(NASTY);
      const tl = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}/timeline` })).json();
      expect(tl.items.find((e: { id: string }) => e.id === note.json().id).text).toBe(NASTY);
      const tasks = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}/tasks` })).json();
      expect(tasks.items[0]).toMatchObject({ title: NASTY, owner: { name: NASTY } });
      expect((await t.as(ic, { method: 'GET', url: `/api/v1/users/${user.json().id}` })).json().name).toBe(NASTY);

      // In the store it is the same text, and the tables it names are all still there.
      const row = await t.s.store.db
        .selectFrom('incidents')
        .select(['title', 'summary', 'tags'])
        .where('key', '=', inc.key)
        .executeTakeFirstOrThrow();
      expect(row.title).toBe(NASTY);
      expect(JSON.parse(row.tags)).toEqual(tags);
      expect(await countIncidents()).toBeGreaterThan(0);

      // Searching for a LIKE wildcard finds only the text that holds it, literally.
      const search = async (q: string) =>
        (
          (await t.as(ic, { method: 'GET', url: `/api/v1/incidents?limit=200&q=${encodeURIComponent(q)}` })).json()
            .items as { key: string }[]
        ).map((i) => i.key);
      expect(await search('%_ 中文')).toEqual([inc.key]);
      expect(await search(`' OR '1'='1`)).toEqual([inc.key]);
      expect(await search('%%%')).toEqual([]);
    });
  });

  describe('faults', () => {
    it('answers an unexpected failure with a bare 500 problem: no message, no stack', async () => {
      const original = t.s.incidents.list;
      t.s.incidents.list = async () => {
        const err = new Error(
          'SECRET connection string postgres://admin:hunter2@db/prod failed in /work/main/src/server/x.ts:12',
        );
        throw err;
      };
      try {
        const res = await t.as(ic, { method: 'GET', url: '/api/v1/incidents' });
        const p = expectProblem(res, 500);
        expect(res.body).not.toMatch(/SECRET|hunter2|x\.ts/);
        expect(p.title).toBe('Internal server error');
      } finally {
        t.s.incidents.list = original;
      }
      expect((await t.as(ic, { method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);
    });

    it('answers unknown routes and unreadable URLs with a problem', async () => {
      expectProblem(await t.as(ic, { method: 'GET', url: '/api/v1/no-such-thing' }), 404);
      expectProblem(await t.as(ic, { method: 'PUT', url: '/api/v1/incidents' }), 404);
      const badUrl = await t.as(ic, { method: 'GET', url: '/api/v1/incidents/%E0%A4%A' });
      expect(expectProblem(badUrl, 400).detail).toMatch(/not a valid url/);
      expect(badUrl.body).not.toContain('FST_');
    });

    it('says the store is not ready with a 503 problem while it does not answer', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toEqual({ status: 'ok' });
      const store = t.s.store;
      const ping = store.ping;
      store.ping = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
      try {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
        expectProblem(res, 503);
        expect(res.body).not.toContain('ECONNREFUSED');
      } finally {
        store.ping = ping;
      }
    });
  });
});

describe.each(STORE_KINDS)('a failing store (%s)', (kind) => {
  it("does not leak the driver's error (SQL, table names) to the caller", async () => {
    const t = await createTestApp(kind);
    try {
      const ic = await t.login('incident_commander');
      const inc = await buildIncident(t.s, { by: ic });
      await t.s.store.db.schema.dropTable('tasks').execute();
      for (const req of [
        { method: 'GET', url: `/api/v1/incidents/${inc.key}/tasks` },
        { method: 'POST', url: `/api/v1/incidents/${inc.key}/tasks`, payload: { title: 'x' } },
      ] as const) {
        const res = await t.as(ic, req);
        expectProblem(res, 500);
        expect(res.body).not.toMatch(/no such table|does not exist|insert into|select /i);
      }
      // The failed write left no trace in the audit chain.
      expect((await t.s.audit.verify()).ok).toBe(true);
    } finally {
      await t.close();
    }
  });
});

function expectProblemRes(res: Parameters<typeof expectProblem>[0], status: number) {
  expectProblem(res, status);
  expectNothingInternal(res.body);
  return res;
}
