/**
 * Emergency plans through the API, on SQLite and PostgreSQL: import (drafts, unchanged sources, bad YAML
 * refused with lines), approve -> activate -> retire with one active version, review dates on a test
 * clock, versions, diff, lint, CACAO export and import, the audit entries, and who may do what.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { countRows, STORE_KINDS } from '../helpers/store.js';

const TAKEOVER = fs.readFileSync('plans/account-takeover.yml', 'utf8');
const RANSOMWARE = fs.readFileSync('plans/ransomware.yml', 'utf8');
/** The same plan with one changed line: a second version. */
const TAKEOVER_V2 = TAKEOVER.replace(/^review_period_months: .*$/m, 'review_period_months: 6').replace(
  /^(name: .*)$/m,
  (line) => (TAKEOVER.includes('review_period_months') ? line : `${line}\nreview_period_months: 6`),
);
const DAY = 86_400_000;

interface Version {
  planId: string;
  version: number;
  status: string;
  sha256: string;
  createdBy: { id: string | null; name: string } | null;
  approvedAt: string | null;
}
interface Summary {
  id: string;
  nameZh: string;
  nameEn: string;
  latestVersion: number;
  status: string;
  activeVersion: number | null;
  reviewDueAt: string | null;
  reviewDue: boolean;
}

describe.each(STORE_KINDS)('plans API (%s)', (kind) => {
  let t: TestApp;
  let now = Date.UTC(2026, 11, 3, 2, 0, 0);
  const clock: Clock = { now: () => now };
  let admin: Session;
  let commander: Session;
  let responder: Session;
  let auditor: Session;

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    commander = await t.login('incident_commander');
    responder = await t.login('responder');
    auditor = await t.login('auditor');
  });
  afterAll(() => t.close());

  const post = (s: Session, url: string, payload?: unknown) =>
    t.as(s, { method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) });
  const get = (s: Session, url: string) => t.as(s, { method: 'GET', url });
  const ok = <T>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  };

  it('imports a plan as draft v1; the same source again stores nothing', async () => {
    const first = ok<{ plan: Summary; version: Version; changed: boolean }>(
      await post(commander, '/api/v1/plans', { source: TAKEOVER }),
    );
    expect(first.changed).toBe(true);
    expect(first.plan).toMatchObject({
      id: 'account-takeover',
      latestVersion: 1,
      status: 'draft',
      activeVersion: null,
    });
    expect(first.plan.nameZh).toMatch(/撞库/);
    expect(first.version).toMatchObject({ version: 1, status: 'draft', approvedAt: null });
    expect(first.version.createdBy?.name).toMatch(/incident_commander/);
    expect(first.version.sha256).toMatch(/^[0-9a-f]{64}$/);

    const versionsBefore = await countRows(t.s.store, 'plan_versions');
    const again = ok<{ version: Version; changed: boolean }>(await post(admin, '/api/v1/plans', { source: TAKEOVER }));
    expect(again).toMatchObject({ changed: false, version: { version: 1 } });
    expect(await countRows(t.s.store, 'plan_versions')).toBe(versionsBefore);
  });

  it('refuses a bad plan with every problem and its line (422), storing nothing', async () => {
    const before = await countRows(t.s.store, 'plan_versions');
    const bad = TAKEOVER.replace(/due: \+10m/, 'due: soon').replace(/^scenario:/m, 'colour: red\nscenario:');
    const res = await post(admin, '/api/v1/plans', { source: bad });
    const problem = expectProblem(res, 422) as ReturnType<typeof expectProblem> & {
      code: string;
      errors: { path: string; message: string; code: string; params: { line: number; column: number } }[];
    };
    expect(problem.code).toBe('plan.invalid');
    expect(problem.errors.length).toBeGreaterThanOrEqual(2);
    const colourLine = bad.split('\n').findIndex((l) => l.startsWith('colour:')) + 1;
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ path: 'source', code: 'plan_problem', params: { line: colourLine, column: 1 } }),
    );
    expect(problem.errors.map((e) => e.message).join('\n')).toMatch(/must be an offset/);

    const syntax = expectProblem(await post(admin, '/api/v1/plans', { source: 'id: [broken\n' }), 422) as {
      errors: { message: string; params: { line: number } }[];
    } & ReturnType<typeof expectProblem>;
    expect(syntax.errors[0]!.message).toMatch(/YAML syntax error/);
    expect(syntax.errors[0]!.params.line).toBe(2);
    expect(await countRows(t.s.store, 'plan_versions')).toBe(before);
  });

  it('lints without storing: problems with line and column, 200', async () => {
    const before = await countRows(t.s.store, 'plan_versions');
    const clean = ok<{ problems: unknown[] }>(await post(responder, '/api/v1/plans/lint', { source: RANSOMWARE }));
    expect(clean.problems).toEqual([]);
    const res = ok<{ problems: { line: number; column: number; message: string }[] }>(
      await post(responder, '/api/v1/plans/lint', { source: 'id: x\nname: 1\n' }),
    );
    expect(res.problems.length).toBeGreaterThan(0);
    expect(res.problems[0]).toEqual({
      line: expect.any(Number),
      column: expect.any(Number),
      message: expect.any(String),
    });
    expect(await countRows(t.s.store, 'plan_versions')).toBe(before);
  });

  it('approves (commander), activates, and a new version replaces the active one only when activated', async () => {
    // Only a draft can be approved, only an approved version activated.
    expect(
      (expectProblem(await post(admin, '/api/v1/plans/account-takeover/versions/1/activate'), 409) as { code?: string })
        .code,
    ).toBe('plan.wrong_status');
    const approved = ok<Version>(await post(commander, '/api/v1/plans/account-takeover/versions/1/approve'));
    expect(approved).toMatchObject({ status: 'approved', approvedAt: new Date(now).toISOString() });
    expectProblem(await post(commander, '/api/v1/plans/account-takeover/versions/1/approve'), 409);
    ok<Version>(await post(admin, '/api/v1/plans/account-takeover/versions/1/activate'));

    const v2 = ok<{ version: Version; plan: Summary }>(await post(admin, '/api/v1/plans', { source: TAKEOVER_V2 }));
    expect(v2.version).toMatchObject({ version: 2, status: 'draft' });
    expect(v2.plan).toMatchObject({ latestVersion: 2, status: 'draft', activeVersion: 1 });

    ok(await post(admin, '/api/v1/plans/account-takeover/versions/2/approve'));
    ok(await post(commander, '/api/v1/plans/account-takeover/versions/2/activate'));
    const versions = ok<{ items: Version[] }>(await get(responder, '/api/v1/plans/account-takeover/versions')).items;
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);
    const active = await t.s.plans.activePlans();
    expect(active.filter((p) => p.planId === 'account-takeover')).toEqual([
      expect.objectContaining({ version: 2, document: expect.objectContaining({ review_period_months: 6 }) }),
    ]);
  });

  it('lists plans with review dates; past the review period the plan is flagged', async () => {
    const list = ok<{ items: Summary[] }>(await get(auditor, '/api/v1/plans')).items;
    const plan = list.find((p) => p.id === 'account-takeover')!;
    const due = new Date(now);
    due.setUTCMonth(due.getUTCMonth() + 6);
    expect(plan).toMatchObject({
      activeVersion: 2,
      status: 'active',
      reviewDue: false,
      reviewDueAt: due.toISOString(),
    });

    // A year on, sessions would have ended: the service answers the same list.
    const saved = now;
    now = due.getTime() - 1;
    expect((await t.s.plans.list()).find((p) => p.id === 'account-takeover')).toMatchObject({ reviewDue: false });
    now = due.getTime() + DAY;
    try {
      expect((await t.s.plans.list()).find((p) => p.id === 'account-takeover')).toMatchObject({ reviewDue: true });
    } finally {
      now = saved;
    }
  });

  it('reads a plan, a version with source and document, and a diff', async () => {
    const plan = ok<Summary & { versions: Version[] }>(await get(responder, '/api/v1/plans/account-takeover'));
    expect(plan.versions.map((v) => v.version)).toEqual([2, 1]);
    const v1 = ok<{ source: string; document: { id: string } }>(
      await get(responder, '/api/v1/plans/account-takeover/versions/1'),
    );
    expect(v1.source).toBe(TAKEOVER);
    expect(v1.document.id).toBe('account-takeover');
    const diff = ok<{ diff: string; from: number; to: number }>(
      await get(responder, '/api/v1/plans/account-takeover/diff?from=1&to=2'),
    );
    expect(diff).toMatchObject({ from: 1, to: 2 });
    expect(diff.diff).toMatch(/^--- account-takeover v1/m);
    expect(diff.diff).toMatch(/^\+review_period_months: 6$/m);
  });

  it('exports CACAO (active or ?version=) and imports it back as a new draft', async () => {
    const pb = ok<Record<string, unknown>>(await get(responder, '/api/v1/plans/account-takeover/cacao'));
    expect(pb).toMatchObject({ type: 'playbook', spec_version: 'cacao-2.0' });
    const v1 = ok<Record<string, unknown>>(await get(responder, '/api/v1/plans/account-takeover/cacao?version=1'));
    expect(v1.id).toBe(pb.id);

    const imported = ok<{ version: Version; changed: boolean }>(
      await post(commander, '/api/v1/plans/cacao', { ...v1, name: 'Account takeover (edited in a SOAR)' }),
    );
    expect(imported).toMatchObject({ changed: true, version: { version: 3, status: 'draft' } });
    const v3 = ok<{ document: { name: { en: string }; review_period_months: number } }>(
      await get(responder, '/api/v1/plans/account-takeover/versions/3'),
    );
    expect(v3.document.name.en).toBe('Account takeover (edited in a SOAR)');

    const { playbook_extensions: _, ...foreign } = pb;
    const refused = expectProblem(await post(admin, '/api/v1/plans/cacao', foreign), 422) as {
      code?: string;
      detail: string;
    };
    expect(refused.code).toBe('plan.cacao_unconvertible');
    expect(refused.detail).toMatch(/no Tocsin extension/);

    // A plan without an active version has nothing to export unless a version is named.
    ok(await post(admin, '/api/v1/plans', { source: RANSOMWARE }));
    expectProblem(await get(responder, '/api/v1/plans/ransomware/cacao'), 404);
    ok(await get(responder, '/api/v1/plans/ransomware/cacao?version=1'));
  });

  it('retires a version; retiring the active one leaves the plan without an active version', async () => {
    ok(await post(admin, '/api/v1/plans/account-takeover/versions/2/retire'));
    expectProblem(await post(admin, '/api/v1/plans/account-takeover/versions/2/retire'), 409);
    const plan = ok<Summary>(await get(responder, '/api/v1/plans/account-takeover'));
    expect(plan).toMatchObject({ activeVersion: null, reviewDueAt: null, reviewDue: false });
    expect((await t.s.plans.activePlans()).some((p) => p.planId === 'account-takeover')).toBe(false);
  });

  it('answers 404 for unknown plans and versions', async () => {
    const unknown = expectProblem(await get(responder, '/api/v1/plans/no-such-plan'), 404) as { code?: string };
    expect(unknown.code).toBe('plan.not_found');
    expectProblem(await get(responder, '/api/v1/plans/no-such-plan/versions'), 404);
    const version = expectProblem(await get(responder, '/api/v1/plans/account-takeover/versions/99'), 404) as {
      code?: string;
    };
    expect(version.code).toBe('plan.version_not_found');
    expectProblem(await post(admin, '/api/v1/plans/no-such-plan/versions/1/approve'), 404);
    expectProblem(await get(responder, '/api/v1/plans/account-takeover/diff?from=1&to=99'), 404);
  });

  it('refuses changes to roles without plan.manage / plan.approve (403), reads to every role', async () => {
    for (const s of [responder, auditor]) {
      expectProblem(await post(s, '/api/v1/plans', { source: TAKEOVER }), 403);
      expectProblem(await post(s, '/api/v1/plans/account-takeover/versions/3/approve'), 403);
      expectProblem(await post(s, '/api/v1/plans/account-takeover/versions/3/activate'), 403);
      expectProblem(await post(s, '/api/v1/plans/account-takeover/versions/3/retire'), 403);
      expectProblem(await post(s, '/api/v1/plans/cacao', { type: 'playbook' }), 403);
      expect((await get(s, '/api/v1/plans')).statusCode).toBe(200);
    }
    expectProblem(await t.as(null, { method: 'GET', url: '/api/v1/plans' }), 401);
  });

  it('audits every change with target type plan', async () => {
    const entries = ok<{ items: { action: string; targetType: string; targetId: string }[] }>(
      await get(admin, '/api/v1/audit?limit=200'),
    ).items.filter((e) => e.targetType === 'plan');
    const actions = entries.filter((e) => e.targetId === 'account-takeover').map((e) => e.action);
    expect(actions.filter((a) => a === 'plan.import')).toHaveLength(3);
    expect(actions.filter((a) => a === 'plan.approve')).toHaveLength(2);
    expect(actions.filter((a) => a === 'plan.activate')).toHaveLength(2);
    expect(actions.filter((a) => a === 'plan.retire')).toHaveLength(1);
    const verify = ok<{ ok: boolean }>(await get(admin, '/api/v1/audit/verify'));
    expect(verify.ok).toBe(true);
  });
});

describe.each(STORE_KINDS)('plans under concurrent changes (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  it('numbers concurrent imports 1..n and keeps one active version when activations race', async () => {
    const actor = { id: null, label: 'test' };
    const sources = [1, 2, 3, 4, 5].map((n) => `${RANSOMWARE}\n# revision ${n}\n`);
    const results = await Promise.all(sources.map((s) => t.s.plans.importSource(actor, s)));
    expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3, 4, 5]);
    for (const n of [1, 2, 3, 4, 5]) await t.s.plans.approve(actor, 'ransomware', n);
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => t.s.plans.activate(actor, 'ransomware', n)));
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    const versions = await t.s.plans.versions('ransomware');
    expect(versions.filter((v) => v.status === 'active')).toHaveLength(1);
    expect(versions.filter((v) => v.status === 'retired')).toHaveLength(4);
  });
});
