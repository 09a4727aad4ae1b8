/**
 * What detection writes is bilingual and names the firm's services: raw login events through
 * POST /api/v1/events and the bundled rules declare an incident whose alert, title, summary and timeline
 * carry zh-CN and English (times in Asia/Shanghai in the stored text, structured for the console), and
 * whose services come from the rule's tags and the ingest source's configuration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiTime } from '../../src/server/modules/alert/detection-text.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildService, buildToken } from '../helpers/fixtures.js';
import { STORE_KINDS, tempDir } from '../helpers/store.js';

const STUFFING = '95fa4895-874a-46cd-a448-2f770e76d64d'; // tagged tocsin.service.online-trading
const SUCCESS_AFTER = '5486bfb5-4a3c-4b39-bce3-4b5e0c3ee29b';
const EVENTS = fs.readFileSync(
  path.resolve('rules/tocsin/tests/trading_login_many_accounts_one_source/positive.ndjson'),
  'utf8',
);

interface Pair {
  'zh-CN': string;
  en: string;
}
interface AlertBody {
  id: string;
  ruleId: string;
  ruleTitle: string;
  ruleTitles: Pair;
  services: string[];
  firstSeenAt: string;
  entities: { ips: string[] };
  incident: { key: string; title: string; titleI18n: Pair | null } | null;
}

describe.each(STORE_KINDS)('bilingual detection (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let alert: AlertBody;
  let incidentKey: string;

  beforeAll(async () => {
    // The counter's login log arrives as its own source, which serves the mobile app as well.
    const dir = tempDir('tocsin-sources-');
    const sources = path.join(dir, 'sources.yaml');
    fs.writeFileSync(sources, 'sources:\n  - name: counter-login\n    services: [mobile-app]\n');
    t = await createTestApp(kind, { TOCSIN_SOURCES_FILE: sources });
    admin = await t.login('admin');
    for (const [key, nameZh, nameEn] of [
      ['online-trading', '网上交易', 'Online trading'],
      ['mobile-app', '手机App', 'Mobile app'],
      ['market-data', '行情服务', 'Market data'],
    ] as const) {
      await buildService(t.s, { key, nameZh, nameEn });
    }
    const token = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events?source=counter-login',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      payload: EVENTS,
    });
    expect(res.statusCode, res.body).toBe(202);
    await t.s.detection.idle();
    const list = await t.as(admin, { method: 'GET', url: `/api/v1/alerts?rule=${STUFFING}` });
    alert = (list.json().items as AlertBody[])[0]!;
    incidentKey = alert.incident!.key;
  });
  afterAll(() => t?.close());

  const zhTitleOf = async (ruleId: string) =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/rules/${ruleId}` })).json().titleZh as string;
  const incident = async () => (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${incidentKey}` })).json();
  const timeline = async () =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${incidentKey}/timeline?limit=200` })).json().items as {
      text: string;
      data: Record<string, unknown>;
    }[];

  it("stores the alert's rule title in both languages, and names the services of its rule and its source", async () => {
    const zh = await zhTitleOf(STUFFING);
    expect(zh).toMatch(/^网上交易撞库攻击/);
    expect(alert).toMatchObject({
      ruleTitle: 'Credential Stuffing on the Trading Login - Many Accounts From One Source',
      ruleTitles: { 'zh-CN': zh, en: alert.ruleTitle },
    });
    expect([...alert.services].sort()).toEqual(['mobile-app', 'online-trading']);
    // Searching the queue finds it by its Chinese title too.
    const found = await t.as(admin, { method: 'GET', url: `/api/v1/alerts?q=${encodeURIComponent('撞库')}` });
    expect((found.json().items as AlertBody[]).map((a) => a.id)).toContain(alert.id);
  });

  it('declares the incident with its title and summary in both languages, first seen in Asia/Shanghai, and its services', async () => {
    const zh = await zhTitleOf(STUFFING);
    const i = await incident();
    const subject = alert.entities.ips[0]!;
    expect(i.titleI18n).toEqual({ 'zh-CN': `${zh} · ${subject}`, en: `${alert.ruleTitle} · ${subject}` });
    expect(i.title).toBe(i.titleI18n.en);
    expect(alert.incident!.titleI18n).toEqual(i.titleI18n);
    expect(i.services.map((s: { key: string }) => s.key)).toEqual(['mobile-app', 'online-trading']);

    const local = shanghaiTime(Date.parse(alert.firstSeenAt));
    expect(local).toMatch(/^2026-03-02 09:\d\d:\d\d$/); // the events' +08:00 times, as written
    expect(i.summaryI18n['zh-CN']).toContain(`规则：${zh}（${STUFFING}），级别：高。`);
    expect(i.summaryI18n['zh-CN']).toContain('业务服务：手机App、网上交易');
    expect(i.summaryI18n['zh-CN']).toContain(`首次发现：${local}（北京时间）。`);
    expect(i.summaryI18n['zh-CN']).toContain('事件类别“网络攻击事件”和等级“II 重大”是根据规则给出的建议');
    expect(i.summaryI18n.en).toContain(`First seen ${local} (Asia/Shanghai, UTC+8).`);
    expect(i.summaryI18n.en).toContain('Services: Mobile app, Online trading');
    expect(i.summary).toBe(i.summaryI18n.en);
    // The same facts as data, for the console to word in the viewer's language and zone.
    expect(i.summaryFacts).toEqual({
      alertId: alert.id,
      ruleId: STUFFING,
      ruleTitles: alert.ruleTitles,
      level: 'high',
      firstSeenAt: alert.firstSeenAt,
      accounts: expect.any(Array),
      ips: [subject],
      hosts: [],
      services: ['mobile-app', 'online-trading'],
      category: 'network_attack',
      grade: 'II',
    });
    // Searching incidents finds it by its Chinese title.
    const found = await t.as(admin, {
      method: 'GET',
      url: `/api/v1/incidents?q=${encodeURIComponent(zh.slice(0, 4))}`,
    });
    expect(found.json().items.map((x: { key: string }) => x.key)).toContain(incidentKey);
  });

  it('writes the timeline entries of detection with the rule titles in both languages', async () => {
    const zh = await zhTitleOf(SUCCESS_AFTER);
    // Another rule fires for the same source address: its alert joins the incident.
    const [out] = await t.s.alerts.raise([
      {
        ruleId: SUCCESS_AFTER,
        ruleTitle: 'Successful Trading Login From a Credential Stuffing Source',
        level: 'high',
        kind: 'correlation',
        tags: ['tocsin.category.network_attack'],
        time: Date.parse(alert.firstSeenAt) + 60_000,
        events: [
          {
            id: 'late-1',
            time: Date.parse(alert.firstSeenAt) + 60_000,
            source: 'counter-login',
            logsource: { product: 'tocsin', service: 'trading_login' },
            fields: { src_ip: alert.entities.ips[0], user: '3100000099', outcome: 'success' },
          },
        ],
      },
    ]);
    expect(out!.incidentKey).toBe(incidentKey);
    const entries = await timeline();
    expect(entries[0]!.data).toMatchObject({
      event: 'declared',
      source: 'detection',
      ruleTitle: alert.ruleTitle,
      ruleTitles: alert.ruleTitles,
    });
    const attached = entries.find((e) => e.data?.event === 'alerts_attached')!;
    expect(attached.data.alerts).toEqual([
      expect.objectContaining({
        id: out!.alertId,
        ruleTitles: { 'zh-CN': zh, en: 'Successful Trading Login From a Credential Stuffing Source' },
      }),
    ]);
  });

  it("keeps detection's words until a person edits them; sending back either language is no edit", async () => {
    const before = await incident();
    const same = await t.as(admin, {
      method: 'PATCH',
      url: `/api/v1/incidents/${incidentKey}`,
      payload: { title: before.titleI18n['zh-CN'], summary: before.summaryI18n['zh-CN'] },
    });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({
      title: before.title,
      titleI18n: before.titleI18n,
      summaryI18n: before.summaryI18n,
    });

    const edited = await t.as(admin, {
      method: 'PATCH',
      url: `/api/v1/incidents/${incidentKey}`,
      payload: { title: '撞库攻击：已封禁来源地址' },
    });
    expect(edited.json()).toMatchObject({
      title: '撞库攻击：已封禁来源地址',
      titleI18n: null,
      summaryI18n: before.summaryI18n,
      summaryFacts: before.summaryFacts,
    });
    const summary = await t.as(admin, {
      method: 'PATCH',
      url: `/api/v1/incidents/${incidentKey}`,
      payload: { summary: 'Source blocked at the WAF.' },
    });
    expect(summary.json()).toMatchObject({
      summary: 'Source blocked at the WAF.',
      summaryI18n: null,
      summaryFacts: null,
    });
    // Alerts show the incident's title as the person wrote it.
    const a = (await t.as(admin, { method: 'GET', url: `/api/v1/alerts/${alert.id}` })).json() as AlertBody;
    expect(a.incident).toEqual({ key: incidentKey, title: '撞库攻击：已封禁来源地址', titleI18n: null });
  });

  it('shows alerts raised before both titles were kept with their stored title in both languages', async () => {
    await sql`update alerts set rule_title_zh = null where id = ${alert.id}`.execute(t.s.store.db);
    const a = (await t.as(admin, { method: 'GET', url: `/api/v1/alerts/${alert.id}` })).json() as AlertBody;
    expect(a.ruleTitles).toEqual({ 'zh-CN': alert.ruleTitle, en: alert.ruleTitle });
  });
});
