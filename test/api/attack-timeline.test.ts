/**
 * The attack timeline of an incident (issue 15), on each store: a high alert's events (a password spray
 * from one IP on two accounts) open an incident; a response action and a note are added; the timeline
 * shows events, the alert, the action, the note and the milestones in time order with the marks (first
 * compromise = the earliest event); `?entity=` keeps what names that account or IP; the CSV export has
 * the same rows with formula-like cells defused; the printable page escapes what events carry and runs
 * no script; an outsider of a restricted incident gets 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttackTimeline } from '../../src/shared/attack-timeline-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';

describe.each(STORE_KINDS)('attack timeline (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let key = '';
  const T0 = Date.parse('2026-12-04T01:30:00Z');

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    const ev = (i: number, account: string, extra: Record<string, unknown> = {}) => ({
      id: `atk-ev-${kind}-${i}`,
      time: T0 + i * 60_000,
      source: 'trading-frontend',
      logsource: { product: 'trading', service: 'auth' },
      fields: { user: account, src_ip: '203.0.113.66', message: `login failed for ${account}`, ...extra },
    });
    const out = await buildAlert(t.s, {
      ruleId: `atk-rule-${kind}`,
      ruleTitle: 'Password spray from one address',
      level: 'critical',
      time: T0 + 10 * 60_000,
      events: [
        ev(0, 'A10000013'),
        ev(1, 'A10000014'),
        ev(2, 'A10000013', { message: '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>' }),
        {
          ...ev(3, 'A10000015'),
          fields: {
            user: 'A10000015',
            src_ip: '203.0.113.66',
            '@timestamp': 'x',
            event: 'login',
            outcome: 'failure',
            device_id: 'emu-7',
          },
        },
      ],
    });
    key = out.incidentKey!;
    expect(key).toMatch(/^INC-/);
    const note = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/timeline`,
      payload: { kind: 'note', text: 'A10000013 called the hotline: did not log in at 09:30' },
    });
    expect(note.statusCode, note.body).toBeLessThan(300);
  });
  afterAll(() => t.close());

  const get = async (q = '') => {
    const res = await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/attack-timeline${q}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AttackTimeline;
  };

  it('puts events, the alert, notes and milestones on one axis with the marks', async () => {
    const tl = await get();
    expect(tl.marks.firstCompromise).toBe(new Date(T0).toISOString());
    expect(tl.marks.detection).not.toBeNull();
    const kinds = tl.items.map((i) => i.kind);
    expect(kinds.filter((k) => k === 'event')).toHaveLength(4);
    expect(kinds).toContain('alert');
    expect(kinds).toContain('note');
    expect(kinds).toContain('milestone');
    const times = tl.items.map((i) => i.at);
    expect([...times].sort()).toEqual(times);
    expect(tl.items[0]).toMatchObject({ kind: 'milestone', title: 'First compromise / 首次入侵' });
    const first = tl.items.find((i) => i.kind === 'event')!;
    expect(first).toMatchObject({
      title: 'Password spray from one address · trading-frontend',
      detail: 'login failed for A10000013',
    });
    expect(first.entities).toEqual(expect.arrayContaining(['A10000013', '203.0.113.66']));
    expect(tl.entities[0]).toMatchObject({ value: '203.0.113.66', kind: 'ip', count: 4 });
    // Without a message, the event's other short fields (not the entities, not the time) say what it was.
    const bare = tl.items.find((i) => i.kind === 'event' && i.ref?.id === `atk-ev-${kind}-3`)!;
    expect(bare.detail).toBe('event=login outcome=failure device_id=emu-7');
    expect(tl.truncated).toBe(false);
  });

  it('keeps what names the entity: the account’s events and the note about it, the milestones', async () => {
    const tl = await get('?entity=a10000013');
    const events = tl.items.filter((i) => i.kind === 'event');
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.entities.includes('A10000013'))).toBe(true);
    expect(tl.items.some((i) => i.kind === 'note' && i.detail?.includes('hotline'))).toBe(true);
    expect(tl.items.some((i) => i.kind === 'milestone')).toBe(true);
    const other = await get('?entity=A10000014');
    expect(other.items.filter((i) => i.kind === 'event')).toHaveLength(1);
    expect(other.items.some((i) => i.kind === 'note')).toBe(false);
  });

  it('exports CSV with formula-like cells defused, and a printable page with everything escaped and no script', async () => {
    const csv = await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/attack-timeline/csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`${key}-attack-timeline.csv`);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('at,kind,title,detail,entities,ref_type,ref_id');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")<script>alert(1)</script>"`);
    expect(lines.length).toBe((await get()).items.length + 1);

    const page = await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/attack-timeline/print` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-/);
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).toContain('First compromise / 首次入侵');
  });

  it('answers 404 to someone outside a restricted incident', async () => {
    const restrict = await t.as(admin, {
      method: 'PATCH',
      url: `/api/v1/incidents/${key}`,
      payload: { restricted: true },
    });
    expect(restrict.statusCode, restrict.body).toBeLessThan(300);
    const outsider = await t.login('responder');
    for (const path of ['', '/csv', '/print']) {
      const res = await t.as(outsider, { method: 'GET', url: `/api/v1/incidents/${key}/attack-timeline${path}` });
      expect(res.statusCode).toBe(404);
    }
  });
});
