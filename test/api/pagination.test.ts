/** Every list is paginated: following `next` visits each item once, and a bad cursor is a problem, not a crash. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident, buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';
const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe.each(STORE_KINDS)('pagination (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let responder: Session;
  let key: string;

  /** Follows `next` from `url` (which has a limit), returning every page. */
  async function walk<T>(s: Session, url: string): Promise<T[][]> {
    const pages: T[][] = [];
    let next: string | null = null;
    do {
      const res = await t.as(s, {
        method: 'GET',
        url: next === null ? url : `${url}&cursor=${encodeURIComponent(next)}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: T[]; next: string | null };
      pages.push(body.items);
      next = body.next;
      expect(pages.length).toBeLessThan(100);
    } while (next !== null);
    return pages;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    responder = await t.login('responder');
    // Eight incidents detected at the same instant (ties must still page cleanly), two more later, one restricted.
    const same = '2026-03-02T01:30:00.000Z';
    for (let i = 0; i < 8; i++) await buildIncident(t.s, { by: admin, title: `Same instant ${i}`, detectedAt: same });
    for (const at of ['2026-03-01T00:00:00.000Z', '2026-03-03T00:00:00.000Z'])
      await buildIncident(t.s, { by: admin, title: `At ${at}`, grade: 'III', detectedAt: at });
    await buildIncident(t.s, { by: admin, title: 'Restricted', grade: 'I', restricted: true, detectedAt: same });
    key = (await t.as(admin, { method: 'GET', url: '/api/v1/incidents?limit=1' })).json().items[0].key;
    for (let i = 0; i < 9; i++)
      await t.as(admin, { method: 'POST', url: `/api/v1/incidents/${key}/timeline`, payload: { text: `note ${i}` } });
    for (let i = 0; i < 7; i++)
      await t.as(admin, { method: 'POST', url: `/api/v1/incidents/${key}/tasks`, payload: { title: `task ${i}` } });
    for (let i = 0; i < 6; i++) await buildUser(t.s, { role: 'executive' });
  });
  afterAll(() => t.close());

  it('incidents: newest detection first, every one once, across pages with ties', async () => {
    const pages = await walk<{ key: string; milestones: { detectedAt: string } }>(admin, '/api/v1/incidents?limit=3');
    expect(pages.length).toBe(4); // 11 incidents: 3 + 3 + 3 + 2
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    const all = pages.flat();
    const keys = all.map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(11);
    const times = all.map((i) => Date.parse(i.milestones.detectedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The unpaged list (one big page) is the same sequence.
    const one = (await t.as(admin, { method: 'GET', url: '/api/v1/incidents?limit=200' })).json();
    expect(one.items.map((i: { key: string }) => i.key)).toEqual(keys);
    expect(one.next).toBeNull();
  });

  it('incidents by severity: most severe first, then newest, every one once across pages', async () => {
    const pages = await walk<{ key: string; severity: number; milestones: { detectedAt: string } }>(
      admin,
      '/api/v1/incidents?limit=4&sort=severity',
    );
    const all = pages.flat();
    expect(new Set(all.map((i) => i.key)).size).toBe(11);
    expect(all[0]!.severity).toBe(1); // the grade I (restricted) one
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(a.severity <= b.severity).toBe(true);
      if (a.severity === b.severity)
        expect(Date.parse(a.milestones.detectedAt) >= Date.parse(b.milestones.detectedAt)).toBe(true);
    }
    expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/incidents?sort=loudest' }), 400);
  });

  it('incidents: a filter and need-to-know hold on every page', async () => {
    const pages = await walk<{ key: string; title: string; restricted: boolean }>(
      responder,
      '/api/v1/incidents?limit=2&grade=IV',
    );
    const all = pages.flat();
    expect(all).toHaveLength(8);
    expect(new Set(all.map((i) => i.key)).size).toBe(8);
    expect(all.every((i) => i.title.startsWith('Same instant') && !i.restricted)).toBe(true);
    const everything = (
      await walk<{ key: string; restricted: boolean }>(responder, '/api/v1/incidents?limit=4')
    ).flat();
    expect(everything).toHaveLength(10);
    expect(everything.some((i) => i.restricted)).toBe(false);
  });

  it('timeline: oldest first, sequence numbers without duplicates or gaps', async () => {
    const pages = await walk<{ seq: number; text: string }>(admin, `/api/v1/incidents/${key}/timeline?limit=4`);
    expect(pages.length).toBeGreaterThan(2);
    const seqs = pages.flat().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(
      pages
        .flat()
        .filter((e) => e.text.startsWith('note '))
        .map((e) => e.text),
    ).toEqual(Array.from({ length: 9 }, (_, i) => `note ${i}`));
  });

  it('tasks and users: every item once', async () => {
    const tasks = await walk<{ id: string; title: string }>(admin, `/api/v1/incidents/${key}/tasks?limit=3`);
    expect(tasks.length).toBe(3);
    expect(tasks.flat().map((x) => x.title)).toEqual(Array.from({ length: 7 }, (_, i) => `task ${i}`));
    const users = (await walk<{ email: string }>(admin, '/api/v1/users?limit=3')).flat().map((u) => u.email);
    expect(users.length).toBeGreaterThanOrEqual(8);
    expect(new Set(users).size).toBe(users.length);
    expect(users).toEqual([...users].sort());
  });

  it('audit: newest first, a contiguous run of sequence numbers down to 1', async () => {
    const pages = await walk<{ seq: number }>(admin, '/api/v1/audit?limit=7');
    expect(pages.length).toBeGreaterThan(2);
    const seqs = pages.flat().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs.length - i));
    const filtered = (
      await walk<{ action: string; seq: number }>(admin, '/api/v1/audit?limit=2&action=timeline.append')
    ).flat();
    expect(filtered).toHaveLength(9);
    expect(filtered.every((e) => e.action === 'timeline.append')).toBe(true);
  });

  it('answers a bad or forged cursor with a problem, never a 500', async () => {
    const bad: [string, number[]][] = [
      ['/api/v1/incidents?cursor=not-a-cursor', [422]],
      [`/api/v1/incidents?cursor=${b64('[1.5,"x"]')}`, [422]],
      [`/api/v1/incidents?cursor=${b64('[1e400,"x"]')}`, [422]],
      [`/api/v1/incidents?cursor=${b64('[99999999999999999999,"x"]')}`, [422]],
      [`/api/v1/incidents?cursor=${b64('["1",2]')}`, [422]],
      [`/api/v1/incidents?cursor=${b64('[1,"a\\u0000b"]')}`, [422]],
      [`/api/v1/incidents?cursor=${b64('{}')}`, [422]],
      [`/api/v1/incidents?cursor=${'x'.repeat(201)}`, [400]],
      [`/api/v1/incidents/${key}/timeline?cursor=abc`, [400]],
      [`/api/v1/incidents/${key}/timeline?cursor=-1`, [400]],
      [`/api/v1/incidents/${key}/timeline?cursor=99999999999999999999999`, [400]],
      ['/api/v1/audit?cursor=abc', [422]],
      ['/api/v1/audit?cursor=99999999999999999999999', [422]],
      ['/api/v1/incidents?limit=0', [400]],
      ['/api/v1/incidents?limit=201', [400]],
      ['/api/v1/incidents?limit=2.5', [400]],
    ];
    for (const [url, statuses] of bad) {
      const res = await t.as(admin, { method: 'GET', url });
      expect(statuses, `${url} -> ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      expectProblem(res, res.statusCode);
    }
    // A cursor that parses but points past everything is simply an empty last page.
    const past = await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/timeline?cursor=999999` });
    expect(past.json()).toEqual({ items: [], next: null });
    const tasks = await t.as(admin, {
      method: 'GET',
      url: `/api/v1/incidents/${key}/tasks?cursor=${encodeURIComponent(`'; DROP TABLE tasks;--`)}`,
    });
    expect(tasks.statusCode).toBe(200);
  });
});
