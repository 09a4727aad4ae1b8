/**
 * The staff API of the status site over HTTP: who may read and who may change, validation problems,
 * audit entries, the preview snapshot, and announcements read-only (no route writes them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { buildIncident, buildService, SYSTEM } from '../../../../test/helpers/fixtures.js';
import { errorPaths, expectProblem } from '../../../../test/helpers/problem.js';
import { STORE_KINDS } from '../../../../test/helpers/store.js';
import { newId } from '../../platform/ids.js';

describe.each(STORE_KINDS)('status site staff API (%s)', (kind) => {
  let t: TestApp;
  let comms: Session;
  let responder: Session;
  let auditor: Session;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await buildService(t.s, { key: 'online-trading' });
    await buildService(t.s, { key: 'mobile-app', nameZh: '手机App', nameEn: 'Mobile app' });
    comms = await t.login('communications');
    responder = await t.login('responder');
    auditor = await t.login('auditor');
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  const audit = async (targetType: string, targetId: string) =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetType=${targetType}&targetId=${targetId}` })).json()
      .items as { action: string; before: unknown; after: unknown }[];

  it('lets every role read and only admin, commanders and communications change', async () => {
    for (const who of [responder, auditor, comms]) {
      const res = await t.as(who, { method: 'GET', url: '/api/v1/status/components' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.map((c: { key: string }) => c.key)).toEqual(['mobile-app', 'online-trading']);
    }
    for (const [method, url, payload] of [
      ['PATCH', '/api/v1/status/components/online-trading', { public: true }],
      ['PUT', '/api/v1/status/components/online-trading/override', { state: 'degraded', reason: 'x' }],
      ['POST', '/api/v1/status/groups', { key: 'g', name: { zh: '组', en: 'G' } }],
      [
        'POST',
        '/api/v1/status/maintenances',
        {
          title: { zh: '维护', en: 'M' },
          services: ['online-trading'],
          startsAt: '2026-03-10T00:00:00Z',
          endsAt: '2026-03-10T01:00:00Z',
        },
      ],
    ] as const) {
      const res = await t.as(responder, { method, url, payload });
      expect(expectProblem(res, 403).detail).toMatch(/status\.manage/);
    }
    expect((await t.as(null, { method: 'GET', url: '/api/v1/status/snapshot' })).statusCode).toBe(401);
  });

  it('manages components, groups and overrides, audited, and the preview shows the result', async () => {
    const group = await t.as(comms, {
      method: 'POST',
      url: '/api/v1/status/groups',
      payload: { key: 'trading', name: { zh: '交易服务', en: 'Trading' }, position: 1 },
    });
    expect(group.statusCode, group.body).toBe(201);
    expectProblem(
      await t.as(comms, {
        method: 'POST',
        url: '/api/v1/status/groups',
        payload: { key: 'trading', name: { zh: '重复', en: 'Again' } },
      }),
      409,
    );
    const patched = await t.as(comms, {
      method: 'PATCH',
      url: '/api/v1/status/components/online-trading',
      payload: { public: true, group: 'trading', description: { zh: '网页交易', en: 'Web trading' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ public: true, group: 'trading', state: 'operational', override: null });
    expectProblem(
      await t.as(comms, {
        method: 'PATCH',
        url: '/api/v1/status/components/online-trading',
        payload: { group: 'nope' },
      }),
      404,
    );
    expectProblem(
      await t.as(comms, { method: 'PATCH', url: '/api/v1/status/components/no-such', payload: { public: true } }),
      404,
    );

    const set = await t.as(comms, {
      method: 'PUT',
      url: '/api/v1/status/components/online-trading/override',
      payload: { state: 'partial_outage', reason: '部分券商通道不可用' },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      state: 'partial_outage',
      source: 'manual',
      override: { state: 'partial_outage', reason: '部分券商通道不可用' },
    });
    const bad = await t.as(comms, {
      method: 'PUT',
      url: '/api/v1/status/components/online-trading/override',
      payload: { state: 'on_fire', reason: '' },
    });
    expect(errorPaths(expectProblem(bad, 400) && bad).sort()).toEqual(['body.reason', 'body.state']);

    const preview = (await t.as(auditor, { method: 'GET', url: '/api/v1/status/snapshot' })).json();
    expect(preview.overall).toBe('partial_outage');
    expect(preview.components).toEqual([
      expect.objectContaining({ key: 'online-trading', group: 'trading', state: 'partial_outage', source: 'manual' }),
    ]);
    expect(preview.groups).toEqual([{ key: 'trading', name: { zh: '交易服务', en: 'Trading' }, position: 1 }]);

    const cleared = await t.as(comms, { method: 'DELETE', url: '/api/v1/status/components/online-trading/override' });
    expect(cleared.json()).toMatchObject({ state: 'operational', source: 'probe', override: null });
    expectProblem(
      await t.as(comms, { method: 'DELETE', url: '/api/v1/status/components/online-trading/override' }),
      409,
    );
    expect((await audit('status_component', 'online-trading')).map((e) => e.action)).toEqual([
      'status.override_clear',
      'status.override_set',
      'status.component_update',
    ]);

    const del = await t.as(comms, { method: 'DELETE', url: '/api/v1/status/groups/trading' });
    expect(del.statusCode).toBe(204);
    expect((await t.as(comms, { method: 'GET', url: '/api/v1/status/components' })).json().items[1]).toMatchObject({
      key: 'online-trading',
      public: true,
      group: null,
    });
    expect((await audit('status_group', 'trading')).map((e) => e.action)).toEqual([
      'status.group_delete',
      'status.group_create',
    ]);
  });

  it('schedules, changes and removes maintenance, refusing unknown services and backwards times', async () => {
    const starts = new Date(Date.now() + 3_600_000).toISOString();
    const ends = new Date(Date.now() + 7_200_000).toISOString();
    const created = await t.as(comms, {
      method: 'POST',
      url: '/api/v1/status/maintenances',
      payload: { title: { zh: '系统升级', en: 'Upgrade' }, services: ['mobile-app'], startsAt: starts, endsAt: ends },
    });
    expect(created.statusCode, created.body).toBe(201);
    const m = created.json();
    expect(m).toMatchObject({ state: 'scheduled', services: ['mobile-app'], body: { zh: '', en: '' } });
    const unknown = await t.as(comms, {
      method: 'POST',
      url: '/api/v1/status/maintenances',
      payload: { title: { zh: '升级', en: '' }, services: ['nope'], startsAt: starts, endsAt: ends },
    });
    expect(errorPaths(expectProblem(unknown, 422) && unknown)).toEqual(['body.services']);
    const backwards = await t.as(comms, {
      method: 'PATCH',
      url: `/api/v1/status/maintenances/${m.id}`,
      payload: { endsAt: new Date(Date.now()).toISOString() },
    });
    expectProblem(backwards, 422);
    const changed = await t.as(comms, {
      method: 'PATCH',
      url: `/api/v1/status/maintenances/${m.id}`,
      payload: { body: { zh: '**注意**', en: 'Note' } },
    });
    expect(changed.json().body).toEqual({ zh: '**注意**', en: 'Note' });
    const list = (await t.as(responder, { method: 'GET', url: '/api/v1/status/maintenances' })).json();
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([m.id]);
    expect((await t.as(comms, { method: 'DELETE', url: `/api/v1/status/maintenances/${m.id}` })).statusCode).toBe(204);
    expectProblem(await t.as(comms, { method: 'GET', url: `/api/v1/status/maintenances/${m.id}` }), 404);
    expect((await audit('status_maintenance', m.id)).map((e) => e.action)).toEqual([
      'status.maintenance_delete',
      'status.maintenance_update',
      'status.maintenance_create',
    ]);
  });

  it('lists and shows published announcements read-only, paged, and offers no route to write one', async () => {
    const incident = await buildIncident(t.s, { title: 'Login failures' });
    for (const [kind, status] of [
      ['holding_statement', 'investigating'],
      ['status_update', 'resolved'],
    ] as const)
      await t.s.store.transaction((tx) =>
        t.s.status.publisher.publish(tx, SYSTEM, {
          kind,
          incidentId: incident.id,
          statementId: newId(),
          title: { zh: '登录异常', en: 'Login failures' },
          body: { zh: `状态 ${status}`, en: `Status ${status}` },
          fields: { status },
        }),
      );
    const other = await buildIncident(t.s, { title: 'Quotes' });
    await t.s.store.transaction((tx) =>
      t.s.status.publisher.publish(tx, SYSTEM, {
        kind: 'holding_statement',
        incidentId: other.id,
        statementId: newId(),
        title: { zh: '行情', en: 'Quotes' },
        body: { zh: '调查中', en: 'Investigating' },
        fields: {},
      }),
    );
    const first = (await t.as(responder, { method: 'GET', url: '/api/v1/status/announcements?limit=1' })).json();
    expect(first.items.map((a: { title: { en: string } }) => a.title.en)).toEqual(['Quotes']);
    const second = (
      await t.as(responder, { method: 'GET', url: `/api/v1/status/announcements?limit=1&cursor=${first.next}` })
    ).json();
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();
    const slug = second.items[0].slug;
    expect(second.items[0]).toMatchObject({
      status: 'resolved',
      url: `${t.s.config.publicUrl}/status/incidents/${slug}`,
    });
    const detail = (await t.as(responder, { method: 'GET', url: `/api/v1/status/announcements/${slug}` })).json();
    expect(detail.updates.map((u: { kind: string; body: { en: string } }) => [u.kind, u.body.en])).toEqual([
      ['resolved', 'Status resolved'],
      ['opened', 'Status investigating'],
    ]);
    expect((await audit('announcement', slug)).map((e) => e.action)).toEqual([
      'status.announcement_publish',
      'status.announcement_publish',
    ]);
    expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/status/announcements/2099-9999' }), 404);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await t.as(admin, { method, url: `/api/v1/status/announcements/${slug}`, payload: {} });
      expect(res.statusCode).toBe(404);
    }
    expect((await t.as(admin, { method: 'POST', url: '/api/v1/status/announcements', payload: {} })).statusCode).toBe(
      404,
    );
  });
});
