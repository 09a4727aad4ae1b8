import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { STORE_KINDS } from '../../../../test/helpers/store.js';

describe.each(STORE_KINDS)('incident lifecycle over HTTP (%s)', (kind) => {
  let t: TestApp;
  let ic: Session;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.s.catalog.create(
      { id: null, label: 'test' },
      { key: 'online-trading', nameZh: '网上交易', nameEn: 'Online trading', description: '' },
    );
    ic = await t.login('incident_commander');
  });
  afterAll(() => t.close());

  it('declares, lists, transitions and keeps a timeline', async () => {
    const created = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: 'Credential stuffing',
        summary: 's',
        category: 'network_attack',
        grade: 'II',
        services: ['online-trading'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const inc = created.json();
    expect(inc.key).toMatch(/^INC-\d{4}-0001$/);
    expect(inc.status).toBe('detected');
    expect(inc.services[0].nameZh).toBe('网上交易');

    const list = await t.as(ic, { method: 'GET', url: '/api/v1/incidents?status=active' });
    expect(list.json().items.map((i: { key: string }) => i.key)).toEqual([inc.key]);

    const ack = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${inc.key}/transitions`,
      payload: { to: 'acknowledged' },
    });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().milestones.acknowledgedAt).not.toBeNull();
    expect(ack.json().elapsed.toAcknowledgeMs).toBeGreaterThanOrEqual(0);

    const bad = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${inc.key}/transitions`,
      payload: { to: 'closed' },
    });
    expect(bad.statusCode).toBe(409);
    expect(bad.headers['content-type']).toContain('application/problem+json');

    const note = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${inc.key}/timeline`,
      payload: { text: 'Blocked ranges at WAF' },
    });
    expect(note.statusCode, note.body).toBe(201);
    const tl = await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}/timeline` });
    expect(tl.json().items.map((e: { kind: string }) => e.kind)).toEqual(['system', 'status_change', 'note']);

    // An edit based on a version someone else has since changed is refused, not silently merged.
    const current = (await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}` })).json();
    const ok = await t.as(ic, {
      method: 'PATCH',
      url: `/api/v1/incidents/${inc.key}`,
      payload: { grade: 'I', version: current.version },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ grade: 'I', severity: 1, version: current.version + 1 });
    const stale = await t.as(ic, {
      method: 'PATCH',
      url: `/api/v1/incidents/${inc.key}`,
      payload: { grade: 'III', version: current.version },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toContain('changed by someone else');
    expect((await t.as(ic, { method: 'GET', url: `/api/v1/incidents/${inc.key}` })).json().grade).toBe('I');

    const verify = await t.s.audit.verify();
    expect(verify.ok).toBe(true);
    expect(verify.checked).toBeGreaterThan(3);
  });
});

describe.each(STORE_KINDS)('incident list for the console table (%s)', (kind) => {
  let t: TestApp;
  let ic: Session;
  let now = Date.parse('2026-11-28T02:00:00Z');
  const clock = { now: () => now };
  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    ic = await t.login('incident_commander');
  });
  afterAll(() => t.close());

  const declare = async (title: string) => {
    const r = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title, summary: '', category: 'network_attack', grade: 'III' },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { key: string; lastActivityAt: string; updatedAt: string };
  };
  const keys = async (query: string) =>
    ((await t.as(ic, { method: 'GET', url: `/api/v1/incidents${query}` })).json().items as Array<{ key: string }>).map(
      (i) => i.key,
    );

  it('a note posted later moves lastActivityAt (not updatedAt); the list shows it', async () => {
    const inc = await declare('DDoS on the mobile app');
    expect(inc.lastActivityAt).toBe('2026-11-28T02:00:00.000Z');
    now += 45 * 60_000;
    const note = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${inc.key}/timeline`,
      payload: { text: 'Scrubbing centre engaged' },
    });
    expect(note.statusCode, note.body).toBe(201);
    const listed = (await t.as(ic, { method: 'GET', url: '/api/v1/incidents' }))
      .json()
      .items.find((i: { key: string }) => i.key === inc.key);
    expect(listed.updatedAt).toBe('2026-11-28T02:00:00.000Z');
    expect(listed.lastActivityAt).toBe('2026-11-28T02:45:00.000Z');
    expect(listed.commander).toBeNull();
  });

  it('status=ended lists closed and false-positive incidents, status=active the others', async () => {
    const open = await declare('Still being worked');
    const fp = await declare('Turned out benign');
    const fpMove = await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${fp.key}/transitions`,
      payload: { to: 'false_positive' },
    });
    expect(fpMove.statusCode, fpMove.body).toBe(200);
    const closed = await declare('Handled and closed');
    for (const to of ['acknowledged', 'contained', 'recovered', 'closed']) {
      const r = await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${closed.key}/transitions`, payload: { to } });
      expect(r.statusCode, r.body).toBe(200);
    }
    const ended = await keys('?status=ended');
    expect(ended).toEqual(expect.arrayContaining([fp.key, closed.key]));
    expect(ended).not.toContain(open.key);
    const active = await keys('?status=active');
    expect(active).toContain(open.key);
    expect(active).not.toContain(fp.key);
    expect(active).not.toContain(closed.key);
    const bad = await t.as(ic, { method: 'GET', url: '/api/v1/incidents?status=finished' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});
