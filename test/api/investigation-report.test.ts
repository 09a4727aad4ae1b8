/**
 * The investigation report over HTTP, on each store: an investigator writes it (revisions), the filled
 * sections come from the data (ATT&CK, evidence with hashes, IOCs), the author submits it and may not
 * approve it (403), a second investigator approves it; PDF and DOCX of the current revision ("DRAFT"
 * until approved); the approved public summary published on the incident's announcement, its page and
 * its feed; an edit after approval returns it to draft; every step audited; auditors only read.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationReport } from '../../src/shared/investigation-report-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { zipEntry } from '../helpers/documents.js';
import { buildAlert, SYSTEM } from '../helpers/fixtures.js';
import { expectProblem as problemOf } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

describe.each(STORE_KINDS)('investigation report (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let author: Session;
  let reviewer: Session;
  let auditor: Session;
  let key = '';
  let incidentId = '';
  let sha256 = '';
  /** A problem+json of `status` with the stable `code`. */
  const expectProblem = (res: Parameters<typeof problemOf>[0], status: number, want: { code: string }) =>
    expect((problemOf(res, status) as unknown as { code: string }).code).toBe(want.code);
  const url = () => `/api/v1/incidents/${key}/investigation-report`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    author = await t.login('responder');
    reviewer = await t.login('compliance');
    auditor = await t.login('auditor');
    const created = await t.as(author, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Account takeover', category: 'other', grade: 'III' },
    });
    expect(created.statusCode, created.body).toBe(201);
    key = created.json().key;
    incidentId = created.json().id;
    const raised = await buildAlert(t.s, {
      ruleId: 'stuffing-rule',
      ruleTitle: 'Credential stuffing',
      tags: ['attack.t1110.004', 'attack.credential_access'],
      events: [{ id: `e-${Math.random()}`, time: t.s.clock.now(), source: 'api', logsource: {}, fields: {} }],
    });
    const link = await t.as(author, {
      method: 'POST',
      url: `/api/v1/alerts/${raised.alertId}/link`,
      payload: { incidentKey: key },
    });
    expect(link.statusCode, link.body).toBeLessThan(300);
    const added = await t.s.evidence.locker.addFile(
      SYSTEM,
      key,
      Readable.from([Buffer.from('pcap bytes')]),
      'login.pcap',
      {
        description: 'capture at the gateway',
      },
    );
    sha256 = added.sha256;
    const ioc = await t.as(author, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/iocs`,
      payload: { type: 'ipv4', value: '203.0.113.7' },
    });
    expect(ioc.statusCode, ioc.body).toBeLessThan(300);
  });
  afterAll(() => t.close());

  const get = async (who: Session): Promise<InvestigationReport> => {
    const r = await t.as(who, { method: 'GET', url: url() });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const auditOf = async (action: string) =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/audit?action=${action}` })).json().items as {
      actor: { id: string | null };
      targetType: string;
      after: Record<string, unknown>;
    }[];

  it('starts empty with the filled sections from the data: ATT&CK in tactic order, evidence with hashes, IOCs', async () => {
    const r = await get(auditor);
    expect(r).toMatchObject({ revision: 0, state: 'draft', approved: null, published: null });
    expect(r.filled.attackPath).toEqual([
      {
        tactic: { id: 'TA0006', name: 'Credential Access', nameZh: expect.any(String) },
        techniques: [{ id: 'T1110.004', name: 'Credential Stuffing' }],
      },
    ]);
    expect(r.filled.evidence).toEqual([
      { name: 'login.pcap', sha256, md5: expect.stringMatching(/^[0-9a-f]{32}$/), bytes: 10 },
    ]);
    expect(r.filled.iocs.counts).toEqual({ ipv4: 1 });
    expect(r.filled.timeline.items.some((i) => i.kind === 'alert')).toBe(true);
    // War-room entries read as what they say, not as their kind.
    const entries = r.filled.timeline.items.filter((i) => i.kind === 'status' || i.kind === 'note');
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(['note', 'system', 'status_change', 'decision']).not.toContain(e.title);
    expect(r.can).toEqual({ edit: false, submit: false, approve: false, publish: false });
  });

  it('is written by an investigator, a revision per edit, Markdown rendered safely; auditors may not write', async () => {
    const denied = await t.as(auditor, { method: 'PUT', url: url(), payload: { sections: { summary: 'x' } } });
    expect(denied.statusCode).toBe(403);
    const first = await t.as(author, {
      method: 'PUT',
      url: url(),
      payload: {
        sections: {
          summary: 'Credential stuffing against **trading app** accounts. <script>alert(1)</script>',
          method: 'EDR telemetry, gateway pcap, the account-activity index',
        },
        publicSummary: {
          zh: '攻击者利用撞库登录了部分账户，资金未受损失。',
          en: 'Attackers used stuffed credentials; no funds were lost.',
        },
      },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ revision: 1, state: 'draft' });
    expect(first.json().html.summary).toContain('<strong>trading app</strong>');
    expect(first.json().html.summary).not.toContain('<script>');
    const second = await t.as(author, {
      method: 'PUT',
      url: url(),
      payload: { sections: { rootCause: 'Password reuse; no rate limit on the login API.' }, revision: 1 },
    });
    expect(second.json()).toMatchObject({ revision: 2, sections: { method: expect.stringContaining('EDR') } });
    const stale = await t.as(author, { method: 'PUT', url: url(), payload: { sections: { scope: 'x' }, revision: 1 } });
    expectProblem(stale, 409, { code: 'investigation_report.stale_revision' });
  });

  it('is exported as PDF and DOCX with "DRAFT" until approved, audited as downloads', async () => {
    const pdf = await t.as(auditor, { method: 'GET', url: `${url()}/report.pdf?lang=zh-CN` });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const docx = await t.as(auditor, { method: 'GET', url: `${url()}/report.docx?lang=en` });
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const xml = zipEntry(docx.rawPayload, 'word/document.xml')!.toString('utf8');
    expect(xml).toContain('DRAFT');
    expect(xml).toContain('Password reuse; no rate limit on the login API.');
    expect(xml).toContain(sha256);
    expect(xml).toContain('T1110.004 Credential Stuffing');
    const downloads = await auditOf('investigation_report.download');
    expect(downloads.map((d) => d.after.format).sort()).toEqual(['docx', 'pdf']);
    expect(downloads.every((d) => d.actor.id === auditor.userId)).toBe(true);
  });

  it('is submitted by its author, who may not approve it; changes requested; a second investigator approves', async () => {
    expect((await t.as(auditor, { method: 'POST', url: `${url()}/submit` })).statusCode).toBe(403);
    const early = await t.as(reviewer, { method: 'POST', url: `${url()}/approve` });
    expectProblem(early, 409, { code: 'investigation_report.wrong_state' });
    const submitted = await t.as(author, { method: 'POST', url: `${url()}/submit` });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ state: 'in_review', submitted: { by: { id: author.userId } } });
    const locked = await t.as(author, { method: 'PUT', url: url(), payload: { sections: { scope: 'x' } } });
    expectProblem(locked, 409, { code: 'investigation_report.wrong_state' });

    const sentBack = await t.as(reviewer, {
      method: 'POST',
      url: `${url()}/request-changes`,
      payload: { comment: 'Name the data sources of the method.' },
    });
    expect(sentBack.json()).toMatchObject({
      state: 'draft',
      changesRequested: { comment: 'Name the data sources of the method.', by: { id: reviewer.userId } },
    });

    // An administrator who also edits it becomes an author: they may not approve it either.
    await t.as(admin, { method: 'PUT', url: url(), payload: { sections: { scope: 'Trading app accounts, 1–3 Dec' } } });
    await t.as(author, { method: 'POST', url: `${url()}/submit` });
    const self = await t.as(admin, { method: 'POST', url: `${url()}/approve` });
    expectProblem(self, 403, { code: 'investigation_report.self_approval' });
    expect((await get(author)).can.approve).toBe(false);
    expect((await get(reviewer)).can.approve).toBe(true);

    const approved = await t.as(reviewer, { method: 'POST', url: `${url()}/approve` });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      state: 'approved',
      approved: { by: { id: reviewer.userId }, revision: 3 },
    });
    const docx = await t.as(auditor, { method: 'GET', url: `${url()}/report.docx?lang=en` });
    expect(zipEntry(docx.rawPayload, 'word/document.xml')!.toString('utf8')).not.toContain('DRAFT');

    expect((await auditOf('investigation_report.submit')).length).toBe(2);
    expect((await auditOf('investigation_report.request_changes'))[0]!.after.comment).toBe(
      'Name the data sources of the method.',
    );
    expect((await auditOf('investigation_report.approve'))[0]).toMatchObject({
      actor: { id: reviewer.userId },
      targetType: 'investigation_report',
      after: { revision: 3 },
    });
    expect((await auditOf('investigation_report.update')).length).toBe(3);
  });

  it('publishes the approved summary on the public announcement, its page and feed; an edit returns it to draft', async () => {
    const none = await t.as(reviewer, { method: 'POST', url: `${url()}/publish` });
    expectProblem(none, 409, { code: 'investigation_report.no_announcement' });
    const opened = await t.s.store.transaction((tx) =>
      t.s.status.publisher.publish(tx, SYSTEM, {
        kind: 'holding_statement',
        incidentId,
        statementId: `holding-${incidentId}`,
        title: { zh: '交易 App 账户异常登录', en: 'Unusual logins to trading app accounts' },
        body: { zh: '我们正在调查。', en: 'We are investigating.' },
        fields: { status: 'investigating' },
      }),
    );
    expect((await t.as(author, { method: 'POST', url: `${url()}/publish` })).statusCode).toBe(403);
    const published = await t.as(reviewer, { method: 'POST', url: `${url()}/publish` });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().published).toMatchObject({ revision: 3, path: opened.path });

    await t.s.publicSite.refresh();
    await t.s.publicSite.settled();
    const page = await t.app.inject({ method: 'GET', url: `${opened.path}?lang=en` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Attackers used stuffed credentials; no funds were lost.');
    const zh = await t.app.inject({ method: 'GET', url: `${opened.path}?lang=zh-CN` });
    expect(zh.body).toContain('攻击者利用撞库登录了部分账户，资金未受损失。');
    const feed = await t.app.inject({ method: 'GET', url: '/status/feed.json?lang=en' });
    expect(feed.body).toContain('Attackers used stuffed credentials');
    const pub = await auditOf('investigation_report.publish');
    expect(pub[0]).toMatchObject({ actor: { id: reviewer.userId }, after: { publishedRevision: 3 } });

    // An edit after approval returns it to draft; a new approval published again replaces the summary.
    const edited = await t.as(author, {
      method: 'PUT',
      url: url(),
      payload: { publicSummary: { en: 'Stuffed credentials opened 12 accounts; no funds were lost.' } },
    });
    expect(edited.json()).toMatchObject({ state: 'draft', revision: 4, approved: null });
    expectProblem(await t.as(reviewer, { method: 'POST', url: `${url()}/publish` }), 409, {
      code: 'investigation_report.wrong_state',
    });
    await t.as(author, { method: 'POST', url: `${url()}/submit` });
    await t.as(reviewer, { method: 'POST', url: `${url()}/approve` });
    expect((await t.as(reviewer, { method: 'POST', url: `${url()}/publish` })).json().published.revision).toBe(4);
    await t.s.publicSite.refresh();
    await t.s.publicSite.settled();
    const again = await t.app.inject({ method: 'GET', url: `${opened.path}?lang=en` });
    expect(again.body).toContain('Stuffed credentials opened 12 accounts; no funds were lost.');
    expect(again.body).not.toContain('Attackers used stuffed credentials');
  });
  it('is invisible to those outside a restricted incident (404), its files too', async () => {
    const ic = await t.login('incident_commander');
    const hidden = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Insider', category: 'other', grade: 'IV', commanderId: ic.userId, restricted: true },
    });
    expect(hidden.statusCode, hidden.body).toBe(201);
    const base = `/api/v1/incidents/${hidden.json().key}/investigation-report`;
    expect((await t.as(ic, { method: 'GET', url: base })).statusCode).toBe(200);
    for (const u of [base, `${base}/report.pdf`, `${base}/report.docx`])
      expect((await t.as(auditor, { method: 'GET', url: u })).statusCode).toBe(404);
    const write = await t.as(author, { method: 'PUT', url: base, payload: { sections: { summary: 'x' } } });
    expect(write.statusCode).toBe(404);
  });
});
