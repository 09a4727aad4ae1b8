/**
 * The media desk over HTTP, on each store: the register keeps every version, publishing shows through
 * PublicFacts (and tells the status site), contradictions, overdue inquiries with the test clock, XSS in
 * a rebuttal comes out inert, an executive reads but does not manage, need-to-know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem } from '../../../../test/helpers/problem.js';
import { STORE_KINDS } from '../../../../test/helpers/store.js';
import type { BusEvent } from '../../platform/bus.js';
import type { FactChecker, PublicFacts } from './index.js';

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '[click](javascript:alert(3))',
  '<a href="javascript:alert(4)">x</a>',
  '<svg/onload=alert(5)>',
].join('\n\n');

describe.each(STORE_KINDS)('media desk over HTTP (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let comms: Session;
  let executive: Session;
  let outsider: Session;
  let key = '';
  let incidentId = '';
  let secretKey = '';
  const events: BusEvent[] = [];
  const clock = {
    t: Date.parse('2026-12-03T08:00:00Z'),
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    t.s.bus.subscribe((e) => events.push(e));
    admin = await t.login('admin');
    comms = await t.login('communications');
    executive = await t.login('executive');
    outsider = await t.login('customer_service');
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Credential stuffing on the trading login', category: 'network_attack', grade: 'III' },
    });
    expect(inc.statusCode, inc.body).toBe(201);
    key = inc.json().key;
    incidentId = inc.json().id;
    const secret = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Insider case', category: 'data_security', grade: 'II', restricted: true },
    });
    secretKey = secret.json().key;
  });
  afterAll(() => t.close());

  const createFact = (who: Session, body: Record<string, unknown>, at = `/api/v1/incidents/${key}/facts`) =>
    t.as(who, { method: 'POST', url: at, payload: body });

  it('keeps every version of a register entry: who changed what, when', async () => {
    const created = await createFact(comms, {
      claim: { zh: '客户资金被盗', en: 'Client funds were stolen' },
      source: 'https://weibo.example/post/1',
      verdict: 'unverified',
      rebuttal: { zh: '正在核实。', en: 'We are checking.' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ incidentKey: key, version: 1, published: false });

    clock.t += 60_000;
    const changed = await t.as(comms, {
      method: 'PATCH',
      url: `/api/v1/facts/${id}`,
      payload: { verdict: 'false', rebuttal: { zh: '客户资金安全。', en: 'Client funds are **safe**.' } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, verdict: 'false' });
    expect(changed.json().rebuttalHtml.en).toBe('<p>Client funds are <strong>safe</strong>.</p>');

    // The same values again make no version.
    const same = await t.as(comms, { method: 'PATCH', url: `/api/v1/facts/${id}`, payload: { verdict: 'false' } });
    expect(same.json().version).toBe(2);

    const versions = await t.as(executive, { method: 'GET', url: `/api/v1/facts/${id}/versions` });
    expect(versions.statusCode, versions.body).toBe(200);
    const items = versions.json().items;
    expect(items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(items[1]).toMatchObject({ change: 'create', by: { id: comms.userId }, entry: { verdict: 'unverified' } });
    expect(items[0]).toMatchObject({
      change: 'update',
      at: new Date(clock.t).toISOString(),
      entry: { verdict: 'false', rebuttal: { en: 'Client funds are **safe**.' } },
    });

    const audit = await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetId=${id}` });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(['fact.update', 'fact.create']);
  });

  it('shows published entries only through PublicFacts, and tells the status site', async () => {
    const created = await createFact(comms, {
      claim: { zh: '交易系统永久关闭', en: 'Trading is shut down for good' },
      verdict: 'false',
      rebuttal: { zh: '交易已恢复。', en: 'Trading has resumed.' },
      evidenceUrl: 'https://www.sse.example/notice/1',
    });
    const id = created.json().id as string;
    const siteWide = await createFact(
      comms,
      { claim: { zh: '公司破产', en: 'The firm is bankrupt' }, verdict: 'false', published: true },
      '/api/v1/facts',
    );
    expect(siteWide.statusCode, siteWide.body).toBe(201);
    expect(siteWide.json().incidentKey).toBeNull();

    // The port the status module consumes (i11 contract).
    const port: PublicFacts = t.s.media.publicFacts;
    const facts = () => port.forIncidents(t.s.store.db, [incidentId]);
    expect((await facts()).factChecks.get(incidentId) ?? []).toEqual([]);
    expect((await facts()).factChecks.get(null)?.map((f) => f.id)).toContain(siteWide.json().id);

    const before = events.length;
    const published = await t.as(comms, { method: 'PATCH', url: `/api/v1/facts/${id}`, payload: { published: true } });
    expect(published.json()).toMatchObject({ published: true, version: 2, publishedAt: expect.any(String) });
    const shown = (await facts()).factChecks.get(incidentId)!;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      id,
      verdict: 'false',
      claim: { en: 'Trading is shut down for good' },
      rebuttal: { en: '<p>Trading has resumed.</p>' },
      evidenceUrl: 'https://www.sse.example/notice/1',
      announcement: null,
    });
    const names = events.slice(before).map((e) => e.event);
    expect(names).toContain('status.changed');
    expect(names).toContain('media.changed');

    const withdrawn = await t.as(comms, { method: 'PATCH', url: `/api/v1/facts/${id}`, payload: { published: false } });
    expect(withdrawn.json().version).toBe(3);
    expect((await facts()).factChecks.get(incidentId) ?? []).toEqual([]);
    const versions = await t.as(comms, { method: 'GET', url: `/api/v1/facts/${id}/versions` });
    expect(versions.json().items.map((v: { change: string }) => v.change)).toEqual(['unpublish', 'publish', 'create']);
  });

  it('flags text that repeats a claim marked false, in either language, whatever the case or width', async () => {
    // The port statements consume (i11 contract).
    const checker: FactChecker = t.s.media.factChecker;
    const db = t.s.store.db;
    // The incident has "客户资金被盗" / "Client funds were stolen" and "交易系统永久关闭" marked false.
    const zh = await checker.contradictions(db, incidentId, '网传客户资金被盗，系专人调查中');
    expect(zh.map((c) => c.claim.zh)).toEqual(['客户资金被盗']);
    const en = await checker.contradictions(db, incidentId, 'Reports that ＣＬＩＥＮＴ   funds WERE stolen are wrong');
    expect(en.map((c) => c.claim.en)).toEqual(['Client funds were stolen']);
    expect(await checker.contradictions(db, incidentId, 'Trading resumed at 10:00.')).toEqual([]);
    // A claim still unverified is not a contradiction.
    await createFact(comms, { claim: { zh: '黑客索要赎金', en: 'Hackers demand a ransom' }, verdict: 'unverified' });
    expect(await checker.contradictions(db, incidentId, 'hackers demand a ransom')).toEqual([]);
  });

  it('renders an XSS payload in a rebuttal inert', async () => {
    const created = await createFact(comms, {
      claim: { zh: '<script>alert(0)</script>谣言', en: '<b>rumor</b>' },
      verdict: 'false',
      rebuttal: { zh: XSS, en: XSS },
      published: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const shown = (await t.s.media.publicFacts.forIncidents(t.s.store.db, [incidentId])).factChecks
      .get(incidentId)!
      .find((f) => f.id === created.json().id)!;
    for (const html of [shown.rebuttal.zh, shown.rebuttal.en, created.json().rebuttalHtml.en]) {
      expect(html).not.toMatch(/<(script|img|svg|iframe)/i); // no element but the allowed ones
      expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i); // no event handler attribute
      expect(html).not.toMatch(/<a\s[^>]*href\s*=\s*"?\s*javascript:/i); // no script link
      expect(html).toContain('&lt;script&gt;'); // shown as text
    }
    // The claim is plain text in the read model (the site escapes it), never HTML.
    expect(shown.claim.en).toBe('<b>rumor</b>');
    // A script link is no evidence.
    const evidence = await createFact(comms, {
      claim: { zh: '某某谣言内容' },
      verdict: 'false',
      evidenceUrl: 'javascript:alert(6)',
    });
    expectProblem(evidence, 400);
  });

  it('logs media inquiries, masks the contact in lists, and lists the overdue ones', async () => {
    const deadline = new Date(clock.t + 2 * 3600_000).toISOString();
    const created = await t.as(comms, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/media-inquiries`,
      payload: {
        outlet: '财经日报',
        journalist: '王记者',
        contact: '13812345678',
        question: '客户资金是否受影响？',
        deadline,
        spokespersonId: comms.userId,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ contact: '13812345678', status: 'open', overdue: false });
    await t.as(comms, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/media-inquiries`,
      payload: { outlet: 'Wire', journalist: 'J. Doe', contact: 'jdoe@wire.example', question: 'Any update?' },
    });

    const list = await t.as(executive, { method: 'GET', url: `/api/v1/incidents/${key}/media-inquiries` });
    expect(list.body).not.toContain('13812345678');
    expect(list.body).not.toContain('jdoe@wire.example');
    expect(
      list
        .json()
        .items.map((i: { contact: string }) => i.contact)
        .sort(),
    ).toEqual(['138****5678', 'j***@wire.example']);
    // One inquiry: whole for the media desk, masked for a reader.
    expect((await t.as(executive, { method: 'GET', url: `/api/v1/media-inquiries/${id}` })).json().contact).toBe(
      '138****5678',
    );
    const audit = await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetId=${id}` });
    expect(audit.body).not.toContain('13812345678');

    const overdue = () => t.as(executive, { method: 'GET', url: '/api/v1/media-inquiries?overdue=true' });
    const summary = () => t.as(executive, { method: 'GET', url: `/api/v1/incidents/${key}/media-summary` });
    expect((await overdue()).json().items).toEqual([]);
    expect((await summary()).json()).toMatchObject({ openInquiries: 2, overdueInquiries: 0 });

    clock.t += 3 * 3600_000; // past the deadline
    const late = (await overdue()).json().items;
    expect(late.map((i: { id: string }) => i.id)).toEqual([id]);
    expect(late[0]).toMatchObject({ overdue: true, incidentKey: key, contact: '138****5678' });
    expect((await summary()).json()).toEqual({
      openInquiries: 2,
      overdueInquiries: 1,
      rumors: { false: 3, unverified: 1, confirmed: 0 },
    });

    const before = events.length;
    const answered = await t.as(comms, {
      method: 'PATCH',
      url: `/api/v1/media-inquiries/${id}`,
      payload: { answer: { text: '客户资金安全，详见公告。' } },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', overdue: false, answeredAt: expect.any(String) });
    expect(events.slice(before).map((e) => [e.event, e.incidentKey])).toContainEqual(['media.changed', key]);
    expect(JSON.stringify(events)).not.toContain('13812345678');
    expect((await overdue()).json().items).toEqual([]);
    expect((await summary()).json()).toMatchObject({ openInquiries: 1, overdueInquiries: 0 });
  });

  it('answers an inquiry only with an approved or published statement of its incident', async () => {
    const inquiry = await t.as(comms, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/media-inquiries`,
      payload: { outlet: '证券时报', journalist: '王记者', contact: 'w@stcn.example', question: '资金安全吗？' },
    });
    expect(inquiry.statusCode, inquiry.body).toBe(201);
    const answer = (statementId: string) =>
      t.as(comms, {
        method: 'PATCH',
        url: `/api/v1/media-inquiries/${inquiry.json().id}`,
        payload: { answer: { statementId, text: null } },
      });
    const draft = await t.as(comms, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/statements`,
      payload: { kind: 'holding_statement' },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().id as string;
    // A draft, an id that names nothing: refused with the field named, and the inquiry stays open.
    for (const bad of [id, 'no-such-statement']) {
      const body = expectProblem(await answer(bad), 422);
      expect(body.errors?.[0]).toMatchObject({ path: 'answer.statementId', code: 'unusable_statement' });
    }
    expect(
      (await t.as(comms, { method: 'GET', url: `/api/v1/media-inquiries/${inquiry.json().id}` })).json(),
    ).toMatchObject({
      status: 'open',
      answer: { statementId: null },
    });
    // Reviewed by a second communications officer: now it answers.
    await t.as(comms, { method: 'POST', url: `/api/v1/statements/${id}/submit` });
    const reviewer = await t.login('communications');
    const ok = await t.as(reviewer, {
      method: 'POST',
      url: `/api/v1/statements/${id}/reviews`,
      payload: { verdict: 'approve' },
    });
    expect(ok.json().state, ok.body).toBe('approved');
    const answered = await answer(id);
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', answer: { statementId: id } });
  });

  it('lists the whole register across the incidents a reader may see', async () => {
    const add = (k: string, claim: string) =>
      t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${k}/facts`,
        payload: { claim: { zh: claim, en: claim }, verdict: 'false', rebuttal: { zh: '不实', en: 'False' } },
      });
    expect((await add(key, 'all-scope open claim')).statusCode).toBe(201);
    expect((await add(secretKey, 'all-scope secret claim')).statusCode).toBe(201);
    const claims = async (who: Session, url: string) =>
      (await t.as(who, { method: 'GET', url }))
        .json()
        .items.map((i: { claim: { zh: string }; incidentKey: string | null }) => [i.claim.zh, i.incidentKey]);
    const asAdmin = await claims(admin, '/api/v1/facts?scope=all&verdict=false');
    expect(asAdmin).toContainEqual(['all-scope open claim', key]);
    expect(asAdmin).toContainEqual(['all-scope secret claim', secretKey]);
    const asOutsider = await claims(outsider, '/api/v1/facts?scope=all');
    expect(asOutsider).toContainEqual(['all-scope open claim', key]);
    expect(asOutsider.map((c: string[]) => c[0])).not.toContain('all-scope secret claim');
    // The default stays the site-wide entries only.
    expect((await claims(admin, '/api/v1/facts')).every((c: string[]) => c[1] === null)).toBe(true);
    expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/facts?scope=everything' }), 400);
  });

  it('refuses a spokesperson who is no user', async () => {
    const res = await t.as(comms, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/media-inquiries`,
      payload: { outlet: 'X', journalist: 'Y', contact: 'y@x.example', question: '?', spokespersonId: 'nobody' },
    });
    expectProblem(res, 422);
  });

  it('keeps FAQ entries in order and shows the published ones on the announcement', async () => {
    const add = (position: number, published: boolean, zh: string) =>
      t.as(outsider, {
        method: 'POST',
        url: `/api/v1/incidents/${key}/faq`,
        payload: {
          question: { zh, en: `Q ${position}` },
          answer: { zh: '答：**是**', en: 'A: **yes**' },
          position,
          published,
        },
      });
    const second = await add(2, true, '第二问');
    expect(second.statusCode, second.body).toBe(201);
    const first = await add(1, true, '第一问');
    const draft = await add(3, false, '草稿');
    const list = await t.as(executive, { method: 'GET', url: `/api/v1/incidents/${key}/faq` });
    expect(list.json().items.map((f: { question: { zh: string } }) => f.question.zh)).toEqual([
      '第一问',
      '第二问',
      '草稿',
    ]);

    const shown = async () =>
      ((await t.s.media.publicFacts.forIncidents(t.s.store.db, [incidentId])).faq.get(incidentId) ?? []).map(
        (f) => f.id,
      );
    expect(await shown()).toEqual([first.json().id, second.json().id]);
    const faq = (await t.s.media.publicFacts.forIncidents(t.s.store.db, [incidentId])).faq.get(incidentId)!;
    expect(faq[0]!.answer.en).toBe('<p>A: <strong>yes</strong></p>');

    const before = events.length;
    const pub = await t.as(outsider, {
      method: 'PATCH',
      url: `/api/v1/incidents/${key}/faq/${draft.json().id}`,
      payload: { published: true, position: 0 },
    });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(events.slice(before).map((e) => e.event)).toContain('status.changed');
    expect(await shown()).toEqual([draft.json().id, first.json().id, second.json().id]);
  });

  it('lets an executive read but not manage', async () => {
    expect((await t.as(executive, { method: 'GET', url: `/api/v1/incidents/${key}/facts` })).statusCode).toBe(200);
    expect((await t.as(executive, { method: 'GET', url: '/api/v1/facts' })).statusCode).toBe(200);
    expectProblem(await createFact(executive, { claim: { zh: '某谣言内容' }, verdict: 'false' }), 403);
    expectProblem(
      await t.as(executive, {
        method: 'POST',
        url: `/api/v1/incidents/${key}/media-inquiries`,
        payload: { outlet: 'X', journalist: 'Y', contact: 'y@x.example', question: '?' },
      }),
      403,
    );
    expectProblem(
      await t.as(executive, {
        method: 'POST',
        url: `/api/v1/incidents/${key}/faq`,
        payload: { question: { zh: '问' }, answer: { zh: '答' } },
      }),
      403,
    );
    const someFact = (await t.as(executive, { method: 'GET', url: `/api/v1/incidents/${key}/facts` })).json().items[0];
    expectProblem(
      await t.as(executive, { method: 'PATCH', url: `/api/v1/facts/${someFact.id}`, payload: { published: true } }),
      403,
    );
  });

  it("hides a restricted incident's media desk from those outside it", async () => {
    const fact = await createFact(
      admin,
      { claim: { zh: '内部人员泄密' }, verdict: 'unverified' },
      `/api/v1/incidents/${secretKey}/facts`,
    );
    expect(fact.statusCode, fact.body).toBe(201);
    const inquiry = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${secretKey}/media-inquiries`,
      payload: {
        outlet: 'X',
        journalist: 'Y',
        contact: 'y@x.example',
        question: '?',
        deadline: new Date(clock.t - 1000).toISOString(),
      },
    });
    expect(inquiry.statusCode, inquiry.body).toBe(201);
    expectProblem(await t.as(outsider, { method: 'GET', url: `/api/v1/incidents/${secretKey}/facts` }), 404);
    expectProblem(await t.as(outsider, { method: 'GET', url: `/api/v1/facts/${fact.json().id}` }), 404);
    expectProblem(await t.as(outsider, { method: 'GET', url: `/api/v1/facts/${fact.json().id}/versions` }), 404);
    expectProblem(await t.as(outsider, { method: 'GET', url: `/api/v1/media-inquiries/${inquiry.json().id}` }), 404);
    expectProblem(await t.as(outsider, { method: 'GET', url: `/api/v1/incidents/${secretKey}/media-summary` }), 404);
    const overdue = await t.as(outsider, { method: 'GET', url: '/api/v1/media-inquiries?overdue=true' });
    expect(overdue.json().items.map((i: { id: string }) => i.id)).not.toContain(inquiry.json().id);
    const asAdmin = await t.as(admin, { method: 'GET', url: '/api/v1/media-inquiries?overdue=true' });
    expect(asAdmin.json().items.map((i: { id: string }) => i.id)).toContain(inquiry.json().id);
  });
});
