/**
 * Input hygiene on every JSON route: a body that is not UTF-8 is refused (never decoded with
 * replacement characters and stored), lone surrogates are refused in every text field, bidirectional
 * controls are dropped from titles and names, and a token cannot be created already expired.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/server/http/app.js';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, buildUser } from '../helpers/fixtures.js';
import { errorPaths, expectProblem } from '../helpers/problem.js';
import { countRows, STORE_KINDS } from '../helpers/store.js';

const json = { 'content-type': 'application/json' };
/** `text` as JSON with `bytes` spliced in where `@@` stands (raw bytes no JSON encoder would write). */
const withBytes = (text: string, bytes: number[]) => {
  const [a, b] = text.split('@@') as [string, string];
  return Buffer.concat([Buffer.from(a, 'utf8'), Buffer.from(bytes), Buffer.from(b, 'utf8')]);
};

describe.each(STORE_KINDS)('input hygiene (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  const now = Date.UTC(2026, 5, 1, 2, 0);
  const clock: Clock = { now: () => now };

  const countIncidents = () => countRows(t.s.store, 'incidents');
  const declare = (session: Session, payload: string | Buffer) =>
    t.as(session, { method: 'POST', url: '/api/v1/incidents', headers: json, payload });

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
  });
  afterAll(() => t.close());

  describe('bodies that are not UTF-8', () => {
    it('refuses an invalid byte inside an incident title with 400, and stores nothing', async () => {
      const before = await countIncidents();
      for (const bytes of [
        [0xff],
        [0xc3],
        [0xed, 0xa0, 0x80] /* a surrogate encoded as UTF-8 */,
        [0xc0, 0xaf] /* overlong "/" */,
      ]) {
        const p = expectProblem(
          await declare(ic, withBytes('{"title":"Order gate@@way down","category":"other","grade":"IV"}', bytes)),
          400,
        );
        expect(p.title).toBe('Malformed JSON');
        expect(p.detail).toMatch(/not valid UTF-8/);
      }
      expect(await countIncidents()).toBe(before);
      // Well-formed UTF-8, Chinese included, is of course taken.
      const ok = await declare(
        ic,
        Buffer.from('{"title":"交易网关中断 Order gateway down","category":"other","grade":"IV"}', 'utf8'),
      );
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().title).toBe('交易网关中断 Order gateway down');
    });

    it('refuses it on every route that takes a JSON body, before anything else is done', async () => {
      const routes = apiRoutes(t.s).filter((r) => r.body && !r.raw);
      expect(routes.length).toBeGreaterThan(20);
      for (const r of routes) {
        const url = r.url.replace(/:(\w+)/g, 'x');
        const res = await t.as(admin, {
          method: r.method as InjectOptions['method'],
          url,
          headers: json,
          payload: withBytes('{"name":"a@@b"}', [0xfe]),
        });
        expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(400);
        expect(res.json().detail, `${r.method} ${r.url}`).toMatch(/not valid UTF-8/);
      }
      // Signing in too (a public route).
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: json,
        payload: withBytes('{"email":"admin@@@test.example","password":"x"}', [0x80]),
      });
      expect(expectProblem(login, 400).detail).toMatch(/not valid UTF-8/);
    });

    it('leaves an edited title as it was when the edit is not UTF-8', async () => {
      const inc = (
        await declare(ic, JSON.stringify({ title: 'Market data feed stale', category: 'other', grade: 'IV' }))
      ).json();
      expectProblem(
        await t.as(ic, {
          method: 'PATCH',
          url: `/api/v1/incidents/${inc.key}`,
          headers: json,
          payload: withBytes('{"title":"Market data @@"}', [0xe4, 0xb8]),
        }),
        400,
      );
      expect((await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}` })).json().title).toBe(
        'Market data feed stale',
      );
    });
  });

  describe('lone surrogates', () => {
    it('refuses them in every text field, naming each field, and stores nothing', async () => {
      const before = await countIncidents();
      const res = await declare(
        ic,
        '{"title":"a\\ud800b","summary":"x\\udc00","tags":["ok","\\udbff"],"category":"other","grade":"IV"}',
      );
      const p = expectProblem(res, 400);
      expect(errorPaths(res).sort()).toEqual(['body.summary', 'body.tags.1', 'body.title']);
      expect(p.errors!.every((e) => /lone UTF-16 surrogate/.test(e.message))).toBe(true);
      expect(await countIncidents()).toBe(before);

      const inc = (await declare(ic, JSON.stringify({ title: 'Surrogates', category: 'other', grade: 'IV' }))).json();
      const refused: [string, string, string, string][] = [
        ['POST', `/api/v1/incidents/${inc.key}/timeline`, '{"text":"note \\ud83d"}', 'body.text'],
        ['POST', `/api/v1/incidents/${inc.key}/tasks`, '{"title":"\\ude80 restart"}', 'body.title'],
        ['PATCH', `/api/v1/incidents/${inc.key}`, '{"title":"edit \\ud800"}', 'body.title'],
        ['POST', '/api/v1/tokens', '{"name":"siem \\udfff"}', 'body.name'],
        [
          'POST',
          '/api/v1/users',
          '{"email":"s@test.example","name":"Zhang \\ud800","role":"responder","password":"correct-horse-battery"}',
          'body.name',
        ],
        ['POST', '/api/v1/complaints', '{"channel":"app","text":"\\udc00"}', 'body.text'],
      ];
      for (const [method, url, payload, path] of refused) {
        const r = await t.as(admin, { method: method as InjectOptions['method'], url, headers: json, payload });
        expect(errorPaths(expectProblemAt(r, `${method} ${url}`))).toEqual([path]);
      }
      const incident = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}` })).json();
      expect(incident.title).toBe('Surrogates');
      expect(
        (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}/timeline` }))
          .json()
          .items.filter((e: { kind: string }) => e.kind === 'note'),
      ).toHaveLength(0);
    });

    it('takes a surrogate pair written as escapes: it is a character like any other', async () => {
      const res = await declare(ic, '{"title":"Alarm \\ud83d\\udea8","category":"other","grade":"IV"}');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().title).toBe('Alarm 🚨');
    });
  });

  describe('bidirectional controls in titles and names', () => {
    it('drops overrides, embeddings and isolates so a title reads in the order it was typed; marks stay', async () => {
      const res = await declare(
        ic,
        JSON.stringify({
          title: 'Invoice \u202Etxt.exe\u202C \u2066ok\u2069 \u202Aa\u202B\u202Db\u202C',
          summary: 'said \u202Eevil\u202C',
          category: 'other',
          grade: 'IV',
        }),
      );
      expect(res.statusCode, res.body).toBe(201);
      const inc = res.json();
      expect(inc.title).toBe('Invoice txt.exe ok ab');
      // Summaries and notes are paragraphs, not labels: kept as written.
      expect(inc.summary).toBe('said \u202Eevil\u202C');

      const edited = (
        await t.as(ic, {
          method: 'PATCH',
          url: `/api/v1/incidents/${inc.key}`,
          payload: { title: '\u202Enwod yawetag\u202C right\u200F-to-left mark' },
        })
      ).json();
      expect(edited.title).toBe('nwod yawetag right\u200F-to-left mark');
      const task = (
        await t.as(ic, {
          method: 'POST',
          url: `/api/v1/incidents/${inc.key}/tasks`,
          payload: { title: 'Restart \u2067gateway\u2069' },
        })
      ).json();
      expect(task.title).toBe('Restart gateway');
      const token = (
        await t.as(ic, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'siem\u202E-forwarder' } })
      ).json();
      expect(token.name).toBe('siem-forwarder');
      const user = (
        await t.as(admin, {
          method: 'POST',
          url: '/api/v1/users',
          payload: {
            email: 'bidi@test.example',
            name: '\u202E张三',
            role: 'responder',
            password: 'correct-horse-battery',
          },
        })
      ).json();
      expect(user.name).toBe('张三');
      const service = (
        await t.as(admin, {
          method: 'POST',
          url: '/api/v1/services',
          payload: { key: 'bidi-svc', nameZh: '行情\u202E服务', nameEn: 'Market\u2068 data\u2069' },
        })
      ).json();
      expect([service.nameZh, service.nameEn]).toEqual(['行情服务', 'Market data']);
    });

    it('drops them where no API schema stands in front: a name given to the CLI, a rule title detection copies into an alert', async () => {
      const u = await buildUser(t.s, { name: '\u202E李四\u202C' });
      expect(u.name).toBe('李四');
      const out = await buildAlert(t.s, { ruleId: 'uploaded-rule', ruleTitle: 'Invoice \u202Etxt.exe' });
      const alert = (await t.as(admin, { method: 'GET', url: `/api/v1/alerts/${out.alertId}` })).json();
      expect(alert.ruleTitle).toBe('Invoice txt.exe');
    });

    it('refuses a title made of nothing but such controls, as an empty one', async () => {
      const res = await declare(ic, JSON.stringify({ title: ' \u202E\u202C ', category: 'other', grade: 'IV' }));
      expectProblem(res, 400);
      expect(errorPaths(res)).toEqual(['body.title']);
    });
  });

  describe('API tokens', () => {
    it('refuses a token that would be expired when it is created, with 422 naming expiresAt', async () => {
      const list = async () => (await t.as(ic, { method: 'GET', url: '/api/v1/tokens' })).json().items.length;
      const before = await list();
      for (const at of [now - 1, now, now - 365 * 86_400_000]) {
        const res = await t.as(ic, {
          method: 'POST',
          url: '/api/v1/tokens',
          payload: { name: 'late', scopes: ['read'], expiresAt: new Date(at).toISOString() },
        });
        const p = expectProblem(res, 422);
        expect(errorPaths(res)).toEqual(['body.expiresAt']);
        expect(p.detail).toMatch(/not in the future/);
      }
      expect(await list()).toBe(before);
      const ok = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'soon', scopes: ['read'], expiresAt: new Date(now + 1000).toISOString() },
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(await list()).toBe(before + 1);
    });
  });
});

/** A 400 problem, with where it came from when it is not. */
function expectProblemAt(res: Awaited<ReturnType<TestApp['app']['inject']>>, where: string) {
  expect(res.statusCode, `${where}: ${res.body}`).toBe(400);
  return res;
}
