/**
 * Post-incident reviews over HTTP, on each store, on the test clock: a review opens by itself when an
 * incident of grade I-III is resolved (not grade IV, not a drill, never a false positive; grade IV by the
 * button), due by grade; its facts equal what the store holds ("no data" where a source has none); the
 * sections are sanitized Markdown and the factors carry five whys; closing is refused (409, naming them)
 * while an action item is open; accepting a risk needs a reason and the right role; every step audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '../../src/shared/review-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { zipEntry } from '../helpers/documents.js';
import { expectProblem as problemOf } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const MIN = 60_000;
const DAY = 86_400_000;

describe.each(STORE_KINDS)('post-incident reviews (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  let responder: Session;
  let compliance: Session;
  let auditor: Session;
  const start = Date.parse('2026-12-04T02:00:00Z');
  const clock = {
    t: start,
    now() {
      return this.t;
    },
  };
  const keys: Record<string, string> = {};
  const expectProblem = (res: Parameters<typeof problemOf>[0], status: number, code: string) => {
    const body = problemOf(res, status) as unknown as { code: string; detail: string };
    expect(body.code).toBe(code);
    return body;
  };

  const declare = async (name: string, grade: string, extra: object = {}) => {
    const r = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: `Incident ${name}`, category: 'network_attack', grade, commanderId: ic.userId, ...extra },
    });
    expect(r.statusCode, r.body).toBe(201);
    keys[name] = r.json().key;
  };
  const move = async (name: string, ...to: string[]) => {
    for (const s of to) {
      clock.t += 10 * MIN;
      const r = await t.as(ic, {
        method: 'POST',
        url: `/api/v1/incidents/${keys[name]}/transitions`,
        payload: { to: s },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
  };
  const review = (who: Session, name: string) =>
    t.as(who, { method: 'GET', url: `/api/v1/incidents/${keys[name]}/review` });

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    responder = await t.login('responder');
    compliance = await t.login('compliance');
    auditor = await t.login('auditor');
    await declare('major', 'II');
    await declare('minor', 'IV');
    await declare('drill', 'II', { drill: true });
    await declare('noise', 'III');
    // Work on the major incident: a task done after 25 minutes, an inquiry from a customer.
    const task = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${keys.major}/tasks`,
      payload: { title: 'Reset the passwords of the accounts taken over' },
    });
    expect(task.statusCode, task.body).toBe(201);
    clock.t += 25 * MIN;
    const done = await t.as(ic, {
      method: 'PATCH',
      url: `/api/v1/incidents/${keys.major}/tasks/${task.json().id}`,
      payload: { status: 'done' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const cs = await t.login('customer_service');
    const q = await t.as(cs, {
      method: 'POST',
      url: '/api/v1/inquiries',
      payload: {
        name: 'Zhang',
        email: 'zhang@example.com',
        question: 'Was my account taken over?',
        incidentKey: keys.major,
        channel: 'call_centre',
      },
    });
    expect(q.statusCode, q.body).toBe(201);
  });
  afterAll(() => t.close());

  it('opens a review by itself when an incident of grade I-III is resolved, due by grade', async () => {
    expectProblem(await review(ic, 'major'), 404, 'review.not_found');
    await move('major', 'acknowledged', 'contained');
    expectProblem(await review(ic, 'major'), 404, 'review.not_found');
    await move('major', 'recovered');
    const r = await review(ic, 'major');
    expect(r.statusCode, r.body).toBe(200);
    const body: Review = r.json();
    expect(body).toMatchObject({
      incidentKey: keys.major,
      grade: 'II',
      state: 'draft',
      required: true,
      dueAt: new Date(clock.t + 10 * DAY).toISOString(),
      overdue: false,
      actionItems: [],
    });
    // Closing the incident later opens no second review.
    await move('major', 'closed');
    expect((await review(ic, 'major')).json().id).toBe(body.id);
    const audit = await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=review.open' });
    expect(audit.json().items.filter((e: { targetId: string }) => e.targetId === body.id)).toHaveLength(1);
  });

  it('opens none for grade IV, a drill or a false positive; grade IV and the drill by the button', async () => {
    await move('minor', 'acknowledged', 'contained', 'recovered');
    await move('drill', 'acknowledged', 'contained', 'recovered');
    await move('noise', 'false_positive');
    for (const n of ['minor', 'drill', 'noise']) expectProblem(await review(ic, n), 404, 'review.not_found');
    const url = (n: string) => `/api/v1/incidents/${keys[n]}/review`;
    expectProblem(await t.as(ic, { method: 'POST', url: url('noise') }), 409, 'review.not_resolved');
    expectProblem(await t.as(responder, { method: 'POST', url: url('minor') }), 403, 'permission.denied');
    const opened = await t.as(ic, { method: 'POST', url: url('minor') });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({ required: false, state: 'draft', grade: 'IV' });
    expect(opened.json().dueAt).toBe(new Date(clock.t + 15 * DAY).toISOString());
    expectProblem(await t.as(ic, { method: 'POST', url: url('minor') }), 409, 'review.exists');
  });

  it('fills the facts from what the store holds, and says "no data" where a source has none', async () => {
    const body: Review = (await review(ic, 'major')).json();
    const inc = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${keys.major}` })).json();
    expect(body.facts.milestones).toMatchObject({
      detected: inc.milestones.detectedAt,
      acknowledged: inc.milestones.acknowledgedAt,
      contained: inc.milestones.containedAt,
      recovered: inc.milestones.recoveredAt,
      closed: inc.milestones.closedAt,
      firstPublicStatement: null,
      firstCustomerNotice: null,
    });
    expect(body.facts.durations.toAcknowledge.ms).toBe(inc.elapsed.toAcknowledgeMs);
    expect(body.facts.durations.toContain.ms).toBe(inc.elapsed.toContainMs);
    expect(body.facts.durations.toRecover.ms).toBe(inc.elapsed.toRecoverMs);
    expect(body.facts.durations.toFirstPublicStatement).toEqual({
      from: inc.milestones.detectedAt,
      to: null,
      ms: null,
    });
    expect(body.facts.tasks).toEqual([
      expect.objectContaining({
        title: 'Reset the passwords of the accounts taken over',
        status: 'done',
        fromPlan: false,
        ms: 25 * MIN,
      }),
    ]);
    expect(body.facts.customers).toMatchObject({ inquiries: 1, csatAverage: null, csatResponses: 0 });
    // No containment action, no compensation: no data, not zero.
    expect(body.facts.actions).toBeNull();
    expect(body.facts.compensation).toBeNull();
    const clocks = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${keys.major}/obligations` })).json()
      .clocks as { applies: string }[];
    expect(body.facts.regulators?.length ?? 0).toBe(clocks.filter((c) => c.applies === 'yes').length);
    expect(body.facts.timeline?.some((e) => e.title.includes('recovered'))).toBe(true);
    // An auditor reads the review; a part their role may not read is withheld, not an error.
    const seen: Review = (await review(auditor, 'major')).json();
    expect(seen.facts.withheld).not.toContain('timeline');
    expect(seen.can).toEqual({ edit: false, submit: false, close: false, addItem: false });
  });

  it('keeps the blameless sections as sanitized Markdown and the factors with their five whys', async () => {
    const put = await t.as(responder, {
      method: 'PUT',
      url: `/api/v1/incidents/${keys.major}/review`,
      payload: {
        revision: 0,
        sections: {
          whatHappened: '撞库攻击导致 **12** 个账户被盗 <script>alert(1)</script>',
          lucky: 'The transfer limit held.',
        },
        factors: [
          {
            category: 'technology',
            title: 'No rate limit on the login API',
            whys: ['Attack was not slowed', 'No limit', 'Not in the design', 'No threat model', 'No review step'],
          },
          { category: 'third_party', title: 'SMS vendor delay', whys: ['Codes arrived late'] },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const body: Review = put.json();
    expect(body.revision).toBe(1);
    expect(body.html.whatHappened).toContain('<strong>12</strong>');
    expect(body.html.whatHappened).not.toContain('<script');
    expect(body.factors[0]!.whys).toHaveLength(5);
    const stale = await t.as(responder, {
      method: 'PUT',
      url: `/api/v1/incidents/${keys.major}/review`,
      payload: { revision: 0, sections: { wentWell: 'x' } },
    });
    expectProblem(stale, 409, 'review.stale_revision');
    const six = await t.as(responder, {
      method: 'PUT',
      url: `/api/v1/incidents/${keys.major}/review`,
      payload: { factors: [{ category: 'people', title: 'x', whys: ['1', '2', '3', '4', '5', '6'] }] },
    });
    expect(six.statusCode).toBe(400);
    expectProblem(
      await t.as(auditor, { method: 'PUT', url: `/api/v1/incidents/${keys.major}/review`, payload: {} }),
      403,
      'permission.denied',
    );
  });

  it('closes only when every action item is done, cancelled or accepted as a risk', async () => {
    const add = (title: string, dueAt: number) =>
      t.as(responder, {
        method: 'POST',
        url: `/api/v1/incidents/${keys.major}/review/action-items`,
        payload: {
          title,
          ownerId: responder.userId,
          dueAt: new Date(dueAt).toISOString(),
          priority: 'p1',
          treats: { kind: 'risk', id: 'RISK-7' },
        },
      });
    expect((await add('登录接口限流', clock.t + 3 * DAY)).statusCode).toBe(201);
    const added = await add('Second SMS vendor', clock.t + 5 * DAY);
    const items = (added.json() as Review).actionItems;
    expect(items.map((i) => [i.title, i.source.kind, i.incidentKey, i.treats])).toEqual([
      ['登录接口限流', 'review', keys.major, { kind: 'risk', id: 'RISK-7' }],
      ['Second SMS vendor', 'review', keys.major, { kind: 'risk', id: 'RISK-7' }],
    ]);
    const url = `/api/v1/incidents/${keys.major}/review`;
    expectProblem(await t.as(ic, { method: 'POST', url: `${url}/close` }), 409, 'review.wrong_state');
    expect((await t.as(responder, { method: 'POST', url: `${url}/submit` })).json().state).toBe('in_review');
    const refused = expectProblem(await t.as(ic, { method: 'POST', url: `${url}/close` }), 409, 'review.open_items');
    expect(refused.detail).toContain('登录接口限流');
    expect(refused.detail).toContain('Second SMS vendor');

    const move = (who: Session, id: string, payload: object) =>
      t.as(who, { method: 'POST', url: `/api/v1/action-items/${id}/transitions`, payload });
    const [a, b] = items;
    expect((await move(responder, a!.id, { to: 'done' })).json().status).toBe('done');
    expect((await move(responder, b!.id, { to: 'accepted_risk' })).statusCode).toBe(422);
    expectProblem(
      await move(responder, b!.id, { to: 'accepted_risk', reason: 'vendor contract renews in June' }),
      403,
      'action_item.accept_risk_denied',
    );
    const accepted = await move(compliance, b!.id, { to: 'accepted_risk', reason: 'vendor contract renews in June' });
    expect(accepted.json()).toMatchObject({
      status: 'accepted_risk',
      reason: 'vendor contract renews in June',
      acceptedBy: { id: compliance.userId },
    });
    expect(accepted.json().history.map((h: { kind: string }) => h.kind)).toEqual(['created', 'status']);
    const closed = await t.as(ic, { method: 'POST', url: `${url}/close` });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ state: 'closed', closed: { by: { id: ic.userId } } });
    expectProblem(await t.as(responder, { method: 'PUT', url, payload: {} }), 409, 'review.wrong_state');
    const audit = await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetType=review&limit=100` });
    const actions = audit.json().items.map((e: { action: string }) => e.action);
    for (const x of ['review.open', 'review.update', 'review.submit', 'review.close']) expect(actions).toContain(x);
  });

  it('is exported as PDF and DOCX with its facts, factors and items, audited as downloads', async () => {
    const url = `/api/v1/incidents/${keys.major}/review`;
    const pdf = await t.as(auditor, { method: 'GET', url: `${url}/review.pdf?lang=zh-CN` });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const docx = await t.as(auditor, { method: 'GET', url: `${url}/review.docx?lang=en` });
    expect(docx.statusCode).toBe(200);
    const xml = zipEntry(docx.rawPayload, 'word/document.xml')!.toString('utf8');
    expect(xml).not.toContain('DRAFT'); // closed
    expect(xml).toContain('No rate limit on the login API');
    expect(xml).toContain('Why 5: No review step');
    expect(xml).toContain('vendor contract renews in June');
    expect(xml).toContain('To the first public statement: no data');
    const audit = await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=review.download' });
    expect(
      audit
        .json()
        .items.map((e: { after: { format: string } }) => e.after.format)
        .sort(),
    ).toEqual(['docx', 'pdf']);
  });

  it('lists reviews with their due date and open items; overdue ones by the filter', async () => {
    const list = (q: string) => t.as(ic, { method: 'GET', url: `/api/v1/reviews${q}` });
    const all = (await list('')).json().items as { incidentKey: string; state: string; items: number }[];
    expect(all.map((r) => r.incidentKey).sort()).toEqual([keys.major, keys.minor].sort());
    expect(all.find((r) => r.incidentKey === keys.major)).toMatchObject({ state: 'closed', items: 2, openItems: 0 });
    expect((await list('?overdue=true')).json().items).toEqual([]);
    clock.t += 16 * DAY;
    const later = await t.login('executive'); // sessions of two weeks ago have ended
    const overdue = await t.as(later, { method: 'GET', url: '/api/v1/reviews?overdue=true' });
    expect(overdue.json().items.map((r: { incidentKey: string }) => r.incidentKey)).toEqual([keys.minor]);
    clock.t -= 16 * DAY;
  });
});
