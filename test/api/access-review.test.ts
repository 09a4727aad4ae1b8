/**
 * The access review (issue 17): every account with its role, sign-in method, MFA, last sign-in, dormancy
 * and sessions; every API token with owner, scopes and dates; as JSON and as a CSV an Excel opens
 * (BOM, formulas defused); for administrators and auditors only, and every read audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { configFileFixture } from '../helpers/config-file.js';
import { buildToken, buildUser, SYSTEM } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const fixture = configFileFixture('TOCSIN_IDENTITY_FILE', 'identity');
const IDENTITY = `breakGlass: [glass@firm.test]
providers:
  - id: corp
    kind: oidc
    label: Firm SSO
    issuer: https://login.firm.test/realms/staff
    clientId: tocsin
    roles: [{ group: soc, role: responder }]
  - id: ad
    kind: active_directory
    label: Head office AD
    url: ldap://127.0.0.1:1
    bindDn: cn=svc,dc=firm,dc=test
    bindPasswordEnv: TOCSIN_TEST_AD_BIND_PW
    userBase: dc=firm,dc=test
    userFilter: (sAMAccountName={username})
    groups: { memberOf: true }
    roles: [{ group: soc, role: responder }]
`;
const DAY = 86_400_000;

interface Account {
  email: string;
  name: string;
  signInMethod: string;
  mfaEnabled: boolean;
  lastSignInAt: string | null;
  dormant: boolean;
  disabled: boolean;
  activeSessions: number;
}
interface Token {
  ownerEmail: string;
  label: string;
  scopes: string[];
  status: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

describe.each(STORE_KINDS)('access review (%s)', (kind) => {
  let t: TestApp;
  let now = Date.parse('2026-03-01T02:00:00Z');
  const clock = { now: () => now };
  let admin: Session;
  let auditor: Session;
  let responder: Session;
  const emails: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      { TOCSIN_IDENTITY_FILE: fixture.withFile(IDENTITY), TOCSIN_TEST_AD_BIND_PW: 'bind-secret' },
      { clock },
    );
    // 1 March: these accounts exist; one signs in (then goes quiet), one never does.
    const quiet = await buildUser(t.s, { role: 'compliance', name: '王静', email: 'quiet@firm.test' });
    emails.quiet = quiet.email;
    expect((await t.signIn(quiet.email)).statusCode).toBe(200);
    emails.never = (await buildUser(t.s, { role: 'executive', email: 'never@firm.test' })).email;
    const sso = await buildUser(t.s, { email: 'sso@firm.test', signInMethod: 'corp' });
    const ad = await buildUser(t.s, { email: 'ad@firm.test', signInMethod: 'ad' });
    emails.sso = sso.email;
    emails.ad = ad.email;
    await buildUser(t.s, { role: 'admin', email: 'glass@firm.test' });
    const gone = await buildUser(t.s, { email: 'gone@firm.test' });
    // A name a spreadsheet would run as a formula.
    const hostile = await buildUser(t.s, { email: 'hostile@firm.test', name: '=HYPERLINK("http://x.test","cl")' });
    await buildToken(t.s, hostile.id, { name: '@SUM(1+1)', scopes: ['read', 'events'] });
    await buildToken(t.s, quiet.id, { name: 'old script', expiresAt: now + 30 * DAY });

    // 1 June (92 days on): a disabled account, tokens in each state, and today's staff.
    now += 92 * DAY;
    await t.s.users.update(SYSTEM, gone.id, { disabled: true });
    await buildToken(t.s, quiet.id, { name: 'SIEM export', scopes: ['read'], expiresAt: now + 30 * DAY });
    const revoked = await buildToken(t.s, quiet.id, { name: 'revoked one' });
    await t.s.tokens.revoke(SYSTEM, revoked.id, undefined);
    admin = await t.login('admin');
    await t.login('admin', 'twice@firm.test');
    expect((await t.signIn('twice@firm.test')).statusCode).toBe(200);
    auditor = await t.login('auditor');
    responder = await t.login('responder');
    emails.gone = gone.email;
  });
  afterAll(() => t?.close());

  const review = async (query = '') => {
    const res = await t.as(auditor, { method: 'GET', url: `/api/v1/access-review${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { summary: Record<string, number>; accounts: Account[]; tokens: Token[]; dormantDays: number };
  };
  const account = (r: { accounts: Account[] }, email: string) => r.accounts.find((a) => a.email === email)!;

  it('lists every account with how it signs in, MFA, last sign-in, dormancy and sessions', async () => {
    const r = await review();
    expect(r.dormantDays).toBe(90);
    expect(account(r, emails.quiet!)).toMatchObject({
      name: '王静',
      signInMethod: 'password',
      mfaEnabled: false,
      lastSignInAt: '2026-03-01T02:00:00.000Z',
      dormant: true,
      activeSessions: 0, // the March session has long expired
    });
    expect(account(r, emails.never!)).toMatchObject({ lastSignInAt: null, dormant: true });
    expect(account(r, emails.sso!).signInMethod).toBe('oidc:corp');
    expect(account(r, emails.ad!).signInMethod).toBe('ldap:ad');
    expect(account(r, 'glass@firm.test').signInMethod).toBe('break-glass');
    // Disabled accounts are not called dormant: there is nothing left to disable.
    expect(account(r, emails.gone!)).toMatchObject({ disabled: true, dormant: false });
    expect(account(r, 'twice@firm.test')).toMatchObject({ dormant: false, activeSessions: 2 });
    expect(r.summary).toMatchObject({ accounts: r.accounts.length, disabled: 1 });
    expect(r.summary.dormant).toBe(r.accounts.filter((a) => a.dormant).length);
    expect(r.summary.dormant).toBeGreaterThanOrEqual(6); // quiet, never, sso, ad, glass, hostile

    // A longer threshold: nobody has been quiet for 100 days yet.
    const longer = await review('?dormantDays=100');
    expect(longer.accounts.filter((a) => a.dormant)).toEqual([]);
    expectProblem(await t.as(auditor, { method: 'GET', url: '/api/v1/access-review?dormantDays=0' }), 400);
  });

  it('lists every API token with its owner, scopes, dates and state', async () => {
    const r = await review();
    const mine = r.tokens.filter((x) => x.ownerEmail === emails.quiet);
    expect(mine.find((x) => x.label === 'SIEM export')).toMatchObject({
      scopes: ['read'],
      status: 'active',
      expiresAt: new Date(now + 30 * DAY).toISOString(),
      lastUsedAt: null,
    });
    expect(mine.find((x) => x.label === 'revoked one')!.status).toBe('revoked');
    expect(mine.find((x) => x.label === 'old script')).toMatchObject({
      status: 'expired',
      expiresAt: '2026-03-31T02:00:00.000Z',
    });
    expect(r.tokens.find((x) => x.label === '@SUM(1+1)')).toMatchObject({ scopes: ['read', 'events'] });
    expect(r.summary.activeTokens).toBe(r.tokens.filter((x) => x.status === 'active').length);
  });

  it('exports a CSV Excel opens: BOM, both tables, formulas defused, headers in the chosen language', async () => {
    const res = await t.as(admin, { method: 'GET', url: '/api/v1/access-review.csv' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('access-review-2026-06-01.csv');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      '姓名,邮箱,角色,登录方式,已启用双因素认证,最近登录（UTC）,创建时间（UTC）,长期未登录,已停用,有效会话数',
    );
    expect(text).toContain('王静,quiet@firm.test,compliance,password,否,2026-03-01T02:00:00.000Z,');
    // The formula-like name and token label start with an apostrophe: a spreadsheet shows them as text.
    expect(text).toContain(`"'=HYPERLINK(""http://x.test"",""cl"")",hostile@firm.test,`);
    expect(text).toContain(",'@SUM(1+1),read events,");
    expect(text).not.toMatch(/(^|,)[=@+-][A-Z]/m);
    const blank = lines.indexOf('');
    expect(blank).toBeGreaterThan(1);
    expect(lines[blank + 1]).toMatch(/^API 令牌所有者,所有者邮箱,API 令牌名称,权限范围,/);

    const en = await t.as(admin, { method: 'GET', url: '/api/v1/access-review.csv?lang=en&dormantDays=100' });
    const enText = en.rawPayload.subarray(3).toString('utf8');
    expect(enText.split('\r\n')[0]).toBe(
      'Name,Email,Role,Sign-in method,MFA enrolled,Last sign-in (UTC),Created (UTC),Dormant,Disabled,Active sessions',
    );
    expect(enText).toContain(
      '王静,quiet@firm.test,compliance,password,no,2026-03-01T02:00:00.000Z,2026-03-01T02:00:00.000Z,no,no,0',
    );
  });

  it('is for administrators and auditors only, and every read is audited', async () => {
    for (const url of ['/api/v1/access-review', '/api/v1/access-review.csv']) {
      expectProblem(await t.as(responder, { method: 'GET', url }), 403);
      expectProblem(await t.as(null, { method: 'GET', url }), 401);
    }
    const before = (await t.s.audit.list({ action: 'access_review.export' }, 50)).items.length;
    await t.as(auditor, { method: 'GET', url: '/api/v1/access-review.csv?dormantDays=30' });
    const exports = (await t.s.audit.list({ action: 'access_review.export' }, 50)).items;
    expect(exports).toHaveLength(before + 1);
    expect(exports[0]).toMatchObject({ actor: { id: auditor.userId }, targetType: 'access_review' });
    expect(exports[0]!.after).toMatchObject({ format: 'csv', dormantDays: 30, accounts: expect.any(Number) });
    const views = (await t.s.audit.list({ action: 'access_review.view' }, 50)).items;
    expect(views.length).toBeGreaterThan(0);
    // The entry counts, never copies, the personal data.
    expect(JSON.stringify(exports[0])).not.toContain('quiet@firm.test');
  });
});
