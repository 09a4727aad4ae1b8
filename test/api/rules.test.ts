/**
 * Detection rules through the API, on the bundled rules (rules/tocsin) and their test events: the list
 * with titles in both languages, disabling and enabling (alerts stop and come back, also after a
 * restart), uploads (a new rule matches ingested events; a broken one is refused with its reasons),
 * deletion, hit counts, and who may do what.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildToken } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const TESTS = path.resolve('rules/tocsin/tests');
const RANSOM_NOTE = '59c192dd-851b-4125-8b63-a057287c1451'; // single-event rule: 2 matches in its positive events
const FUNDS_SURGE = '1838ee74-f6ab-45dd-b461-5692165f34ec'; // event_count correlation over ...
const FUNDS_COMPLAINT = 'fe348a20-58c6-4c20-8eed-3f509077311f'; // ... this feeding rule (name tocsin_complaint_funds)
const positive = (stem: string) => fs.readFileSync(path.join(TESTS, stem, 'positive.ndjson'), 'utf8');

const probeRule = (id: string, marker: string, extra = '') => `title: Uploaded probe ${marker}
id: ${id}
description: 上传的测试规则 — matches messages that carry ${marker}
logsource:
  product: tocsin
  service: rules_api_test
detection:
  selection:
    message|contains: ${marker}
  condition: selection
level: high
tags:
  - tocsin.category.other
${extra}`;

interface RuleItem {
  id: string;
  title: string;
  titleZh: string | null;
  level: string | null;
  kind: string;
  origin: string;
  file: string;
  enabled: boolean;
  reported: boolean;
  hits: number;
  lastHitAt: string | null;
  logsource: Record<string, string>;
  tags: string[];
}

describe.each(STORE_KINDS)('detection rules API (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let commander: Session;
  let responder: Session;
  let executive: Session;
  let eventsToken: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    commander = await t.login('incident_commander');
    responder = await t.login('responder');
    executive = await t.login('executive');
    eventsToken = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
  });
  afterAll(() => t.close());

  const list = async (s: Session, query = '') => {
    const res = await t.as(s, { method: 'GET', url: `/api/v1/rules${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: RuleItem[]; next: string | null };
  };
  const allRules = async (query = '') => (await list(admin, `?limit=200${query}`)).items;
  /** Sends NDJSON through the events API and waits until detection has raised what it found. */
  const ingest = async (ndjson: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${eventsToken}`, 'content-type': 'application/x-ndjson' },
      payload: ndjson,
    });
    expect(res.statusCode, res.body).toBe(202);
    await t.s.detection.idle();
  };
  /** How many matches of a rule the alert queue shows (deduplicated matches counted into one alert). */
  const alertCount = async (ruleId: string) => {
    const res = await t.as(admin, {
      method: 'GET',
      url: `/api/v1/alerts?limit=200&rule=${encodeURIComponent(ruleId)}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { count: number }[]).reduce((a, x) => a + x.count, 0);
  };
  const setEnabled = async (s: Session, id: string, enabled: boolean) => {
    const res = await t.as(s, { method: 'PATCH', url: `/api/v1/rules/${id}`, payload: { enabled } });
    await t.s.rules.settled(); // the engine is rebuilt off the request, within moments
    return res;
  };
  const upload = (s: Session, yaml: string, fileName = 'local.yml') =>
    t.as(s, { method: 'POST', url: '/api/v1/rules', payload: { fileName, yaml } });

  it('lists the bundled rules with both titles, level, kind, log source, origin, state and hits', async () => {
    const rules = await allRules();
    const files = fs.readdirSync(path.resolve('rules/tocsin')).filter((f) => f.endsWith('.yml'));
    expect(new Set(rules.map((r) => r.file))).toEqual(new Set(files.map((f) => `rules/tocsin/${f}`)));
    expect(rules.find((r) => r.id === RANSOM_NOTE)).toMatchObject({
      title: 'Ransom Note File Created',
      titleZh: expect.stringMatching(/[\u4e00-\u9fff]/),
      level: 'high',
      kind: 'detection',
      logsource: { category: 'file_event' },
      origin: 'file',
      file: 'rules/tocsin/file_event_ransom_note.yml',
      enabled: true,
      reported: true,
      hits: 0,
      lastHitAt: null,
    });
    expect(rules.find((r) => r.id === FUNDS_SURGE)).toMatchObject({
      kind: 'correlation',
      level: 'high',
      reported: true,
    });
    // A feeding rule is listed too, but its matches only feed the correlation.
    expect(rules.find((r) => r.id === FUNDS_COMPLAINT)).toMatchObject({
      kind: 'detection',
      level: 'informational',
      reported: false,
      logsource: { product: 'tocsin', service: 'complaints' },
    });

    const ids = (items: RuleItem[]) => items.map((r) => r.id);
    expect(ids(await allRules('&q=RANSOM%20note'))).toContain(RANSOM_NOTE);
    expect(ids(await allRules('&q=勒索'))).toContain(RANSOM_NOTE);
    expect((await allRules('&level=critical')).every((r) => r.level === 'critical')).toBe(true);
    expect((await allRules('&kind=correlation')).every((r) => r.kind === 'correlation')).toBe(true);
    expect(await allRules('&origin=uploaded')).toEqual([]);
    // Paged: following `next` walks every rule once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(executive, `?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(page.items));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(ids(rules));
    expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/rules?cursor=bm90LW91cnM' }), 422);

    const status = await t.as(executive, { method: 'GET', url: '/api/v1/rules/errors' });
    expect(status.json()).toMatchObject({
      compiled: rules.length,
      disabled: 0,
      errors: [],
      pending: false,
      loadedAt: expect.any(String),
    });
  });

  it('shows one rule with its YAML and, for a correlation, the rules it uses', async () => {
    const one = (await t.as(responder, { method: 'GET', url: `/api/v1/rules/${FUNDS_SURGE}` })).json();
    expect(one.yaml).toMatch(/^title: Surge of Customer Complaints About Missing or Stolen Funds\n/);
    expect(one.yaml).not.toContain('---');
    expect(one.references).toEqual([
      {
        ref: 'tocsin_complaint_funds',
        id: FUNDS_COMPLAINT,
        title: expect.any(String),
        titleZh: expect.any(String),
        kind: 'detection',
        enabled: true,
      },
    ]);
    const feeder = (await t.as(responder, { method: 'GET', url: `/api/v1/rules/${FUNDS_COMPLAINT}` })).json();
    expect(feeder.usedBy).toMatchObject([{ id: FUNDS_SURGE, kind: 'correlation' }]);
    expectProblem(await t.as(responder, { method: 'GET', url: '/api/v1/rules/no-such-rule' }), 404);
  });

  it('stops alerting for a disabled rule and alerts again once it is enabled', async () => {
    await ingest(positive('file_event_ransom_note'));
    const first = await alertCount(RANSOM_NOTE);
    expect(first).toBe(2);

    const off = await setEnabled(commander, RANSOM_NOTE, false);
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ id: RANSOM_NOTE, enabled: false });
    await ingest(positive('file_event_ransom_note'));
    expect(await alertCount(RANSOM_NOTE)).toBe(first);
    expect((await allRules('&enabled=false')).map((r) => r.id)).toEqual([RANSOM_NOTE]);
    expect((await t.as(admin, { method: 'GET', url: '/api/v1/rules/errors' })).json()).toMatchObject({
      disabled: 1,
      errors: [],
    });

    const audit = (
      await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetId=${RANSOM_NOTE}&action=rule.disable` })
    ).json().items[0];
    expect(audit).toMatchObject({
      targetType: 'rule',
      actor: { id: commander.userId },
      before: { enabled: true },
      after: { enabled: false },
    });

    expect((await setEnabled(admin, RANSOM_NOTE, true)).json()).toMatchObject({ enabled: true });
    await ingest(positive('file_event_ransom_note'));
    expect(await alertCount(RANSOM_NOTE)).toBe(first + 2);
  });

  it('keeps feeding a correlation from a disabled rule it uses, and silences a disabled correlation', async () => {
    expect((await setEnabled(admin, FUNDS_COMPLAINT, false)).statusCode).toBe(200);
    await ingest(positive('complaints_surge_funds'));
    expect(await alertCount(FUNDS_SURGE)).toBe(1);
    expect(await alertCount(FUNDS_COMPLAINT)).toBe(0);

    expect((await setEnabled(admin, FUNDS_SURGE, false)).statusCode).toBe(200);
    expect((await setEnabled(admin, FUNDS_COMPLAINT, true)).statusCode).toBe(200);
    await ingest(positive('complaints_surge_funds'));
    expect(await alertCount(FUNDS_SURGE)).toBe(1);
    // The feeding rule does not start alerting on its own because its correlation is off.
    expect(await alertCount(FUNDS_COMPLAINT)).toBe(0);
    expect((await setEnabled(admin, FUNDS_SURGE, true)).statusCode).toBe(200);
  });

  it('remembers a disabled rule across a restart', async () => {
    expect((await setEnabled(admin, RANSOM_NOTE, false)).statusCode).toBe(200);
    const restarted = await compose(t.s.config, { skipMigrate: true });
    const app2 = await buildApp(restarted);
    try {
      const res = await app2.inject({
        method: 'GET',
        url: `/api/v1/rules/${RANSOM_NOTE}`,
        headers: { cookie: admin.cookie },
      });
      expect(res.json()).toMatchObject({ enabled: false, changed: { by: { id: admin.userId } } });
      restarted.detection.sink([
        {
          id: 'restart-1',
          time: Date.now(),
          source: 'api',
          logsource: { product: 'windows', category: 'file_event' },
          fields: { TargetFilename: 'C:\\x\\README_DECRYPT.txt', Computer: 'WS-1' },
        },
      ]);
      expect(restarted.detection.stats.matches).toBe(0);
    } finally {
      await app2.close();
      await restarted.close();
    }
    expect((await setEnabled(admin, RANSOM_NOTE, true)).statusCode).toBe(200);
  });

  it('counts hits per rule and shows them in the list', async () => {
    await t.s.rules.flushHits(); // what earlier tests counted, so `before` is settled
    const before = (await t.as(admin, { method: 'GET', url: `/api/v1/rules/${RANSOM_NOTE}` })).json().hits as number;
    await ingest(positive('file_event_ransom_note'));
    // Counters are written every few seconds (2 s), in one transaction: the list shows them soon after.
    let rule: RuleItem | undefined;
    for (let i = 0; i < 50; i++) {
      rule = (await allRules('&q=ransom%20note')).find((r) => r.id === RANSOM_NOTE);
      if (rule && rule.hits >= before + 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(rule!.hits).toBe(before + 2);
    expect(Date.now() - Date.parse(rule!.lastHitAt!)).toBeLessThan(60_000);
    expect(before).toBeGreaterThanOrEqual(4); // the earlier tests' matches were counted too
  });

  it('takes an uploaded rule live: ingested events match it; it can be deleted again', async () => {
    const id = `rules-api-probe-${kind}`;
    const res = await upload(commander, probeRule(id, 'probe-marker-1'), 'probe.yml');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().items).toMatchObject([
      {
        id,
        title: 'Uploaded probe probe-marker-1',
        titleZh: '上传的测试规则',
        origin: 'uploaded',
        file: 'probe.yml',
        enabled: true,
        level: 'high',
      },
    ]);
    await t.s.rules.settled();
    await ingest(
      JSON.stringify({
        logsource: { product: 'tocsin', service: 'rules_api_test' },
        message: 'a line with probe-marker-1 in it',
      }),
    );
    expect(await alertCount(id)).toBe(1);
    expect((await allRules('&origin=uploaded')).map((r) => r.id)).toEqual([id]);
    const detail = (await t.as(responder, { method: 'GET', url: `/api/v1/rules/${id}` })).json();
    expect(detail).toMatchObject({ yaml: probeRule(id, 'probe-marker-1'), uploaded: { by: { id: commander.userId } } });

    // A correlation uploaded later may use rules already loaded (here: a bundled feeding rule by name).
    const corrId = `rules-api-corr-${kind}`;
    const corr = await upload(
      admin,
      `title: Two funds complaints\nid: ${corrId}\ncorrelation:\n  type: event_count\n  rules: [tocsin_complaint_funds]\n  timespan: 1h\n  condition: {gte: 2}\nlevel: medium\n`,
      'corr.yml',
    );
    expect(corr.statusCode, corr.body).toBe(201);
    expect((await t.as(admin, { method: 'GET', url: `/api/v1/rules/${corrId}` })).json().references).toMatchObject([
      { ref: 'tocsin_complaint_funds', id: FUNDS_COMPLAINT },
    ]);

    // A filter for our feeding rules, as rules/tocsin/README.md suggests, is a rule of its own.
    const filterId = `rules-api-filter-${kind}`;
    const filter = await upload(
      admin,
      `title: Branch office NAT is not credential stuffing\nid: ${filterId}\nlogsource: {product: tocsin, service: trading_login}\nfilter:\n  rules: [tocsin_trading_login_credential_failure_by_source]\n  branch_nat: {src_ip|cidr: [192.0.2.0/28]}\n  condition: not branch_nat\n`,
      'filters.yml',
    );
    expect(filter.statusCode, filter.body).toBe(201);
    expect(filter.json().items).toMatchObject([{ id: filterId, kind: 'filter' }]);
    expect((await t.as(admin, { method: 'GET', url: `/api/v1/rules/${filterId}` })).json().references).toMatchObject([
      { ref: 'tocsin_trading_login_credential_failure_by_source', kind: 'detection' },
    ]);
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/rules/${filterId}` })).statusCode).toBe(204);

    // Bundled rules are read-only; a rule a correlation uses cannot go first.
    const bundled = expectProblem(await t.as(admin, { method: 'DELETE', url: `/api/v1/rules/${RANSOM_NOTE}` }), 409);
    expect(bundled.detail).toMatch(/read-only; disable the rule instead/);
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/rules/${corrId}` })).statusCode).toBe(204);

    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/rules/${id}` })).statusCode).toBe(204);
    await t.s.rules.settled();
    expectProblem(await t.as(admin, { method: 'GET', url: `/api/v1/rules/${id}` }), 404);
    expect(await allRules('&origin=uploaded')).toEqual([]);
    await ingest(
      JSON.stringify({ logsource: { product: 'tocsin', service: 'rules_api_test' }, message: 'probe-marker-1 again' }),
    );
    expect(await alertCount(id)).toBe(1);
    const deleted = (
      await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetId=${id}&action=rule.delete` })
    ).json().items[0];
    expect(deleted.before).toMatchObject({ fileName: 'probe.yml', title: 'Uploaded probe probe-marker-1' });
    expectProblem(await t.as(admin, { method: 'DELETE', url: `/api/v1/rules/${id}` }), 404);
  });

  it('refuses an upload that does not compile, saying why for each rule, and stores nothing', async () => {
    const auditBefore = (await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=rule.upload&limit=200' })).json()
      .items.length;
    const broken = [
      probeRule('broken-1', 'x').replace('message|contains:', 'message|nosuchmodifier:'),
      `title: Correlation of nothing\nid: broken-2\ncorrelation:\n  type: event_count\n  rules: [no_such_rule]\n  timespan: 5m\n  condition: {gte: 3}\n`,
      probeRule('fine-3', 'y'),
    ].join('---\n');
    const res = await upload(admin, broken, 'broken.yml');
    const problem = expectProblem(res, 422);
    expect(problem.detail).toMatch(/^broken\.yml was not stored: 2 rules do not compile/);
    expect(problem.errors).toEqual([
      { path: 'yaml.broken-1', message: expect.stringMatching(/nosuchmodifier/) },
      { path: 'yaml.broken-2', message: expect.stringMatching(/"no_such_rule", which is not a loaded rule/) },
    ]);
    expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/rules/fine-3' }), 404);
    expect(await allRules('&origin=uploaded')).toEqual([]);

    expectProblem(await upload(admin, 'title: [unclosed', 'bad-yaml.yml'), 422);
    const noId = expectProblem(await upload(admin, probeRule('x', 'z').replace(/^id: x\n/m, ''), 'no-id.yml'), 422);
    expect(noId.errors![0]!.message).toMatch(/has no id/);
    const clash = expectProblem(await upload(admin, probeRule(RANSOM_NOTE, 'z'), 'clash.yml'), 409);
    expect(clash.detail).toMatch(
      /already used by detection rule "Ransom Note File Created" \(rules\/tocsin\/file_event_ransom_note\.yml\)/,
    );
    expectProblem(await upload(admin, probeRule('huge', 'z').padEnd(600 * 1024, '#')), 400);
    expect(
      (await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=rule.upload&limit=200' })).json().items.length,
    ).toBe(auditBefore);
    expect((await t.as(admin, { method: 'GET', url: '/api/v1/rules/errors' })).json().errors).toEqual([]);
  });

  it('lets staff read rules and only admins and commanders change them', async () => {
    expect((await list(responder)).items.length).toBeGreaterThan(0);
    expectProblem(await setEnabled(responder, RANSOM_NOTE, false), 403);
    expectProblem(await upload(executive, probeRule('nope', 'n')), 403);
    expectProblem(await t.as(responder, { method: 'DELETE', url: `/api/v1/rules/${RANSOM_NOTE}` }), 403);
    expectProblem(await t.as(null, { method: 'GET', url: '/api/v1/rules' }), 401);
    expectProblem(
      await t.as(null, { method: 'PATCH', url: `/api/v1/rules/${RANSOM_NOTE}`, payload: { enabled: false } }),
      401,
    );
    // Changing rules needs an admin-scoped token, even for an administrator.
    const { token } = await buildToken(t.s, admin.userId, { scopes: ['read', 'write'] });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/rules', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(200);
    expectProblem(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/rules/${RANSOM_NOTE}`,
        headers: { authorization: `Bearer ${token}` },
        payload: { enabled: false },
      }),
      403,
    );
    expect((await t.as(admin, { method: 'GET', url: `/api/v1/rules/${RANSOM_NOTE}` })).json().enabled).toBe(true);
    const bad = expectProblem(
      await t.as(admin, { method: 'PATCH', url: `/api/v1/rules/${RANSOM_NOTE}`, payload: { enabled: 'no' } }),
      400,
    );
    expect(bad.errors!.map((e) => e.path)).toEqual(['body.enabled']);
  });
});
