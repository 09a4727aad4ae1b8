/**
 * Vulnerabilities on each store (issue 16): a Nessus file imported through the API is deduplicated by
 * asset and finding (a second import updates, never doubles), mapped to the catalog's service by a rule,
 * scored from CVSS with its SLA; time passing breaches the SLA; a rescan of the same scanner and scope
 * closes what is gone and reopens what came back, each with its history; KEV raises a finding (flag,
 * KEV's due date when sooner), EPSS is shown and sortable; accepted risk expires back to open; bad files
 * are refused with where and why (413, 422 with line/column, DTDs never expanded) and keep nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/server/platform/ids.js';
import type { VulnFinding, VulnFindingDetail, VulnImport } from '../../src/shared/vulnerability-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildService } from '../helpers/fixtures.js';
import { multipartBody } from '../helpers/multipart.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const FIX = path.resolve(import.meta.dirname, '../fixtures/vulns');
const fixture = (name: string) => fs.readFileSync(path.join(FIX, name));
const DAY = 86_400_000;
const NESSUS = fixture('scan.nessus');
/** The same scan without the SSH finding (fixed since). */
const NESSUS_NO_SSH = Buffer.from(
  NESSUS.toString('utf8').replace(/<ReportItem port="22"[\s\S]*?<\/ReportItem>\n/, ''),
  'utf8',
);

describe.each(STORE_KINDS)('vulnerabilities (%s)', (kind) => {
  let t: TestApp;
  let now = Date.parse('2026-12-01T09:00:00Z');
  const clock: Clock = { now: () => now };
  let responder: Session;
  let auditor: Session;

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      { TOCSIN_SESSION_TTL_HOURS: '720', TOCSIN_VULN_IMPORT_MAX_BYTES: '20000' },
      { clock },
    );
    responder = await t.login('responder');
    auditor = await t.login('auditor');
    await buildService(t.s, { key: 'online-trading' });
  });
  afterAll(() => t.close());

  async function upload(
    fields: Record<string, string>,
    name: string,
    bytes: Buffer,
    url = '/api/v1/vulnerabilities/imports',
    who = responder,
  ) {
    const { payload, contentType } = await multipartBody(fields, { name, bytes });
    return t.as(who, { method: 'POST', url, headers: { 'content-type': contentType }, payload });
  }
  const imported = async (fields: Record<string, string>, name: string, bytes: Buffer) => {
    const res = await upload(fields, name, bytes);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as VulnImport;
  };
  const list = async (query = '') => {
    const res = await t.as(auditor, { method: 'GET', url: `/api/v1/vulnerabilities/findings?limit=500${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: VulnFinding[]; total: number };
  };
  const byKey = async (key: string) => (await list()).items.find((f) => f.findingKey === key)!;
  const detail = async (id: string) =>
    (await t.as(auditor, { method: 'GET', url: `/api/v1/vulnerabilities/findings/${id}` })).json() as VulnFindingDetail;

  it('imports a Nessus file: findings mapped to their service, scored, due by SLA; refused items reported; a second import updates', async () => {
    const rule = await t.as(responder, {
      method: 'POST',
      url: '/api/v1/vulnerabilities/mappings',
      payload: { pattern: '10.20.1.*', serviceKey: 'online-trading' },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const bad = await t.as(responder, {
      method: 'POST',
      url: '/api/v1/vulnerabilities/mappings',
      payload: { pattern: 'x', serviceKey: 'no-such-service' },
    });
    expect(expectProblem(bad, 422).errors?.[0]).toMatchObject({ path: 'serviceKey', code: 'unknown_service' });

    const first = await imported({ format: 'nessus', scanner: 'nessus-dc1', scope: 'dmz' }, 'scan.nessus', NESSUS);
    expect(first).toMatchObject({
      state: 'done',
      encoding: 'utf-8',
      counts: { new: 4, updated: 0, reopened: 0, closed: 0, rejected: 2 },
    });
    expect(first.rejections.map((r) => r.reason)).toEqual([
      'the ReportItem has no numeric pluginID',
      'CVSS 3.1 vector lacks base metrics PR, UI, S, C, I, A',
    ]);
    const log4j = await byKey('nessus:156032:443/tcp');
    expect(log4j).toMatchObject({
      asset: 'trade-gw-01.donghai.example',
      serviceKey: 'online-trading', // by its address 10.20.1.15
      severity: 'critical',
      cvssVersion: '3.1',
      cvssScore: 10,
      status: 'open',
      cves: ['CVE-2021-44228', 'CVE-2021-45046'],
      firstSeen: new Date(now).toISOString(),
      dueAt: new Date(now + 7 * DAY).toISOString(),
      pastSla: false,
      kev: false,
    });
    expect((await byKey('nessus:58453:3389/tcp')).serviceKey).toBeNull();
    const later = await t.as(responder, {
      method: 'POST',
      url: '/api/v1/vulnerabilities/mappings',
      payload: { pattern: '10.20.2.*', serviceKey: 'online-trading' },
    });
    expect(later.statusCode, later.body).toBe(201);
    expect((await byKey('nessus:58453:3389/tcp')).serviceKey).toBe('online-trading'); // unmapped findings take it

    now += DAY;
    const again = await imported({ format: 'nessus', scanner: 'nessus-dc1', scope: 'dmz' }, 'scan.nessus', NESSUS);
    expect(again.counts).toEqual({ new: 0, updated: 4, reopened: 0, closed: 0, rejected: 2 });
    expect((await list('&severity=critical')).total).toBe(1);
    expect((await byKey('nessus:156032:443/tcp')).firstSeen).toBe(log4j.firstSeen);

    const one = await t.as(auditor, { method: 'GET', url: `/api/v1/vulnerabilities/imports/${first.id}` });
    expect(one.json()).toMatchObject({ id: first.id, counts: first.counts, fileName: 'scan.nessus' });
    const entries = (await t.s.audit.list({ targetType: 'vulnerability_import', targetId: first.id }, 5)).items;
    expect(entries.map((e) => e.action)).toEqual(['vulnerability.import']);
  });

  it('shows a finding past its SLA once its days have passed, and filters by it', async () => {
    expect((await list('&pastSla=true')).items).toEqual([]);
    now += 7 * DAY; // 8 days after the critical finding was first seen
    const past = await list('&pastSla=true');
    expect(past.items.map((f) => [f.findingKey, f.severity, f.pastSla])).toEqual([
      ['nessus:156032:443/tcp', 'critical', true],
    ]);
    expect((await list('&pastSla=false')).total).toBe(3);
  });

  it('a rescan of the same scanner and scope closes what is gone and reopens what came back, with history', async () => {
    const other = await imported({ format: 'nessus', scanner: 'nessus-dc2', scope: 'dmz' }, 'x.nessus', NESSUS_NO_SSH);
    expect(other.counts.closed).toBe(0); // another scanner's scan closes nothing of this one

    const rescan = await imported({ format: 'nessus', scanner: 'nessus-dc1', scope: 'dmz' }, 'r.nessus', NESSUS_NO_SSH);
    expect(rescan.counts).toMatchObject({ new: 0, closed: 1, reopened: 0 });
    const ssh = await byKey('nessus:70658:22/tcp');
    expect(ssh.status).toBe('fixed');

    const back = await imported({ format: 'nessus', scanner: 'nessus-dc1', scope: 'dmz' }, 'b.nessus', NESSUS);
    expect(back.counts).toMatchObject({ reopened: 1, closed: 0 });
    const d = await detail(ssh.id);
    expect(d.status).toBe('open');
    expect(d.history.map((h) => [h.from, h.to, h.reason])).toEqual([
      [null, 'open', expect.stringMatching(/^found by scan /)],
      ['open', 'fixed', `closed by scan ${rescan.id}: no longer reported`],
      ['fixed', 'open', `reopened by scan ${back.id}: reported again`],
    ]);
  });

  it('KEV raises a finding (flag, critical SLA or KEV due date when sooner); EPSS is shown and sortable', async () => {
    const csv = await imported(
      { format: 'csv', scanner: 'manual', scope: 'backoffice' },
      'f.csv',
      fixture('findings.csv'),
    );
    expect(csv.counts).toMatchObject({ new: 2, rejected: 2 });
    const ssh = await byKey('csv:CVE-2024-6387');
    expect(ssh).toMatchObject({ severity: 'high', kev: false, dueAt: new Date(now + 30 * DAY).toISOString() });

    const kev = await upload(
      {},
      'known_exploited_vulnerabilities.json',
      fixture('kev.json'),
      '/api/v1/vulnerabilities/kev',
    );
    expect(kev.statusCode, kev.body).toBe(200);
    expect(kev.json()).toEqual({ feed: 'kev', entries: 2, rejected: 1, findingsRaised: 2 });
    const raised = await byKey('csv:CVE-2024-6387');
    // critical SLA (7 days from now) is later than KEV's 2026-12-11: KEV's date
    expect(raised).toMatchObject({ kev: true, severity: 'high', dueAt: '2026-12-11T00:00:00.000Z' });
    expect((await list('&kev=true')).items.map((f) => f.findingKey).sort()).toEqual([
      'csv:CVE-2024-6387',
      'nessus:156032:443/tcp',
    ]);

    const epss = await upload({}, 'epss_scores.csv', fixture('epss.csv'), '/api/v1/vulnerabilities/epss');
    expect(epss.statusCode, epss.body).toBe(200);
    expect(epss.json()).toMatchObject({ entries: 3, rejected: 1 });
    const sorted = (await list('&sort=epss')).items;
    expect(sorted.slice(0, 2).map((f) => [f.findingKey, f.epss])).toEqual([
      ['nessus:156032:443/tcp', 0.94358],
      ['csv:CVE-2024-6387', 0.4123],
    ]);
  });

  it('accepted risk needs a reason and an expiry, and is open again when it expires; moves not allowed are 409', async () => {
    const f = await byKey('nessus:58453:3389/tcp');
    const move = (body: Record<string, unknown>, id = f.id) =>
      t.as(responder, { method: 'POST', url: `/api/v1/vulnerabilities/findings/${id}/transition`, payload: body });
    expect(expectProblem(await move({ to: 'accepted_risk' }), 422).errors?.[0]?.path).toBe('reason');
    expect(expectProblem(await move({ to: 'accepted_risk', reason: 'jump host only' }), 422).errors?.[0]?.path).toBe(
      'acceptedUntil',
    );
    const ok = await move({
      to: 'accepted_risk',
      reason: 'jump host only',
      acceptedUntil: new Date(now + 2 * DAY).toISOString(),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'accepted_risk', acceptedReason: 'jump host only' });
    now += 3 * DAY;
    const d = await detail(f.id);
    expect(d.status).toBe('open');
    expect(d.history.slice(-2).map((h) => [h.from, h.to, h.by.label, h.reason])).toEqual([
      ['open', 'accepted_risk', expect.any(String), 'jump host only'],
      ['accepted_risk', 'open', 'system', 'the risk acceptance expired'],
    ]);
    expect((await move({ to: 'fixed' })).statusCode).toBe(200);
    expect(expectProblem(await move({ to: 'in_remediation' }), 409).detail).toMatch(
      /fixed cannot become in_remediation/,
    );
    expect((await t.s.audit.list({ targetType: 'vulnerability', targetId: f.id }, 10)).items.length).toBe(2);
  });

  it('refuses bad files with where and why, keeping nothing: too large, malformed, billion laughs, XXE', async () => {
    const before = (await list()).total;
    const big = await upload({ format: 'csv' }, 'big.csv', Buffer.alloc(30_000, 'a'));
    expectProblem(big, 413);
    const malformed = expectProblem(await upload({ format: 'nessus' }, 'm.nessus', fixture('malformed.nessus')), 422);
    expect(malformed.errors?.[0]).toMatchObject({ path: 'file', params: { format: 'nessus', line: 6 } });
    expect(malformed.detail).toMatch(/malformed XML at line 6, column \d+/);
    const laughs = expectProblem(
      await upload({ format: 'nessus' }, 'lol.nessus', fixture('billion-laughs.nessus')),
      422,
    );
    expect(laughs.detail).toMatch(/DOCTYPE/);
    const xxe = expectProblem(await upload({ format: 'openvas' }, 'x.xml', fixture('xxe.openvas.xml')), 422);
    expect(xxe.detail).toMatch(/DOCTYPE/);
    expect(xxe.detail).not.toMatch(/root:/);
    expect(expectProblem(await upload({ format: 'pdf' }, 'a.pdf', Buffer.from('x')), 422).errors?.[0]?.path).toBe(
      'format',
    );
    expect((await list()).total).toBe(before);
    const failed = (
      (await t.as(auditor, { method: 'GET', url: '/api/v1/vulnerabilities/imports' })).json() as { items: VulnImport[] }
    ).items.filter((i) => i.state === 'failed');
    expect(failed.length).toBe(3);
    expect(failed.every((i) => i.error && i.counts.new === 0)).toBe(true);
  });

  it('reads a GBK CSV and a UTF-16 OpenVAS report', async () => {
    const gbk = await imported(
      { format: 'csv', scanner: 'manual', scope: 'settlement' },
      'g.csv',
      fixture('findings-gbk.csv'),
    );
    expect(gbk).toMatchObject({ encoding: 'gb18030', counts: { new: 1, rejected: 1 } });
    expect(gbk.rejections).toEqual([{ ref: 'row 3', reason: 'no severity and no CVSS vector' }]);
    const weak = (await list('&severity=high')).items.find((f) => f.asset === '结算服务器-01');
    expect(weak?.title).toBe('弱口令：管理后台使用默认密码');
    const u16 = await imported({ format: 'openvas' }, 'r.xml', fixture('report-utf16.openvas.xml'));
    expect(u16).toMatchObject({ encoding: 'utf-16le', counts: { new: 2, rejected: 1 } });
  });

  it('lets an auditor read but not import', async () => {
    expectProblem(await upload({ format: 'csv' }, 'f.csv', fixture('findings.csv'), undefined, auditor), 403);
  });
});
