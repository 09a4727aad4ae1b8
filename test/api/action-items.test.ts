/**
 * Action items over HTTP, on each store, on the test clock: created free-standing or by a review, listed
 * with filters (mine, overdue, status, source), edited with a history, moved through their statuses;
 * reminders before the due date page the owner, an overdue item escalates to the owner and the incident's
 * commander (the run-once scheduler's sweep), each once per due date; a moved due date fires again;
 * items of a restricted incident are seen by its people only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionItem, ActionItemDetail } from '../../src/shared/action-item-schemas.js';
import type { Page } from '../../src/shared/page-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(STORE_KINDS)('action items (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  let owner: Session;
  let other: Session;
  let key = '';
  let secretKey = '';
  let reviewItem = '';
  let looseItem = '';
  const start = Date.parse('2026-12-01T02:00:00Z');
  const clock = {
    t: start,
    now() {
      return this.t;
    },
  };

  const resolve = async (k: string) => {
    for (const to of ['acknowledged', 'contained', 'recovered']) {
      const r = await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${k}/transitions`, payload: { to } });
      expect(r.statusCode, r.body).toBe(200);
    }
  };
  const sweep = () => t.s.actionItemReminders.sweep();
  const pages = async (k: string): Promise<Page[]> =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${k}/pages` })).json().items;
  const item = async (id: string, who = admin): Promise<ActionItemDetail> =>
    (await t.as(who, { method: 'GET', url: `/api/v1/action-items/${id}` })).json();
  const list = async (who: Session, q = ''): Promise<ActionItem[]> => {
    const r = await t.as(who, { method: 'GET', url: `/api/v1/action-items${q}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items;
  };

  beforeAll(async () => {
    // Sessions last the whole test (the clock moves days).
    t = await createTestApp(kind, { TOCSIN_SESSION_TTL_HOURS: String(24 * 30) }, { clock });
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    owner = await t.login('responder');
    other = await t.login('responder');
    const declare = async (title: string, restricted: boolean) => {
      const r = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title, category: 'network_attack', grade: 'II', commanderId: ic.userId, restricted },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().key as string;
    };
    key = await declare('Account takeover', false);
    secretKey = await declare('Insider export from the CRM', true);
    await resolve(key);
    await resolve(secretKey);
    const added = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/review/action-items`,
      payload: {
        title: 'Rate-limit the login API',
        ownerId: owner.userId,
        dueAt: new Date(start + 5 * DAY).toISOString(),
      },
    });
    expect(added.statusCode, added.body).toBe(201);
    reviewItem = added.json().actionItems[0].id;
    const loose = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/action-items',
      payload: {
        title: '更新应急预案的通讯录',
        ownerId: other.userId,
        dueAt: new Date(start + 10 * DAY).toISOString(),
        priority: 'p2',
        source: { kind: 'drill', id: 'DRILL-1' },
        treats: { kind: 'vulnerability', id: 'VULN-42' },
      },
    });
    expect(loose.statusCode, loose.body).toBe(201);
    looseItem = loose.json().id;
    const secret = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${secretKey}/review/action-items`,
      payload: {
        title: 'Alert on bulk CRM exports',
        ownerId: ic.userId,
        dueAt: new Date(start + 7 * DAY).toISOString(),
      },
    });
    expect(secret.statusCode, secret.body).toBe(201);
  });
  afterAll(() => t.close());

  it('lists with filters: mine, status, source; a restricted incident’s items only to its people', async () => {
    expect((await list(owner, '?owner=me')).map((i) => i.id)).toEqual([reviewItem]);
    expect((await list(other, '?source=drill')).map((i) => [i.id, i.priority, i.treats])).toEqual([
      [looseItem, 'p2', { kind: 'vulnerability', id: 'VULN-42' }],
    ]);
    expect((await list(owner)).map((i) => i.title)).toEqual(['Rate-limit the login API', '更新应急预案的通讯录']);
    expect(await list(ic)).toHaveLength(3);
    expect(await list(admin, '?status=done')).toEqual([]);
    const hidden = (await list(ic, `?owner=${ic.userId}`))[0]!.id;
    expect((await t.as(owner, { method: 'GET', url: `/api/v1/action-items/${hidden}` })).statusCode).toBe(404);
    const sneaky = await t.as(owner, {
      method: 'POST',
      url: '/api/v1/action-items',
      payload: {
        title: 'x',
        ownerId: owner.userId,
        dueAt: new Date(start).toISOString(),
        source: { kind: 'review', id: 'r' },
      },
    });
    expect(sneaky.statusCode).toBe(422);
  });

  it('keeps a history of edits; a stale version is refused', async () => {
    const r = await t.as(ic, {
      method: 'PATCH',
      url: `/api/v1/action-items/${looseItem}`,
      payload: { version: 1, priority: 'p1', description: 'Phone numbers of the on-call leads' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ priority: 'p1', version: 2 });
    expect(r.json().history.at(-1)).toMatchObject({
      kind: 'updated',
      actor: { id: ic.userId },
      data: { before: { priority: 'p2' }, after: { priority: 'p1' } },
    });
    const stale = await t.as(ic, {
      method: 'PATCH',
      url: `/api/v1/action-items/${looseItem}`,
      payload: { version: 1, priority: 'p4' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('action_item.stale_version');
  });

  it('reminds the owner before the due date and escalates an overdue item to the commander, once each', async () => {
    expect(await sweep()).toEqual({ reminded: 0, escalated: 0, failed: 0 });
    clock.t = start + 3 * DAY + HOUR; // 2 days before the review item's due date
    expect(await sweep()).toEqual({ reminded: 1, escalated: 0, failed: 0 });
    let [page] = await pages(key);
    expect(page!.reason).toContain('Action item due');
    expect(page!.reason).toContain('Rate-limit the login API');
    expect(page!.problems.map((p) => p.userId)).toEqual([owner.userId]);
    expect(await sweep()).toEqual({ reminded: 0, escalated: 0, failed: 0 });

    clock.t = start + 5 * DAY + 60_000; // and 2 days before the restricted incident's item (day 7)
    expect(await sweep()).toEqual({ reminded: 1, escalated: 1, failed: 0 });
    [page] = await pages(key);
    expect(page!.reason).toContain('Action item overdue');
    expect(page!.problems.map((p) => p.userId).sort()).toEqual([owner.userId, ic.userId].sort());
    const now = await item(reviewItem);
    expect(now).toMatchObject({ overdue: true, escalatedAt: new Date(clock.t).toISOString() });
    expect(now.history.map((h) => h.kind)).toEqual(['created', 'reminded', 'escalated']);
    expect(await sweep()).toEqual({ reminded: 0, escalated: 0, failed: 0 });
    expect((await list(owner, '?overdue=true')).map((i) => i.id)).toContain(reviewItem);
    const audit = await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetType=action_item&limit=100` });
    const actions = audit.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['action_item.remind', 'action_item.escalate', 'action_item.create']),
    );
  });

  it('fires again for a moved due date; an item done is reminded no more', async () => {
    const moved = await t.as(admin, {
      method: 'PATCH',
      url: `/api/v1/action-items/${reviewItem}`,
      payload: { dueAt: new Date(clock.t + DAY).toISOString() },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ overdue: false, escalatedAt: null });
    expect(await sweep()).toMatchObject({ reminded: 1 });
    const done = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/action-items/${reviewItem}/transitions`,
      payload: { to: 'done' },
    });
    expect(done.json()).toMatchObject({ status: 'done', overdue: false });
    clock.t += 2 * DAY; // day 7: the restricted incident's item is overdue
    expect(await sweep()).toEqual({ reminded: 0, escalated: 1, failed: 0 });
    // The free-standing item (due on day 10) escalates on its history only (no incident to page about).
    clock.t = start + 10 * DAY + 60_000;
    expect(await sweep()).toEqual({ reminded: 0, escalated: 1, failed: 0 });
    const loose = await item(looseItem);
    expect(loose.history.at(-1)).toMatchObject({ kind: 'escalated', data: { pageId: null } });
  });
});
