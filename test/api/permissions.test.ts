/**
 * The permission walk: every API route × every role (and anonymous, tokens of each scope, sessions
 * still owing a second factor) against the matrix in src/shared/permissions.ts.
 */
import fs from 'node:fs';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES, USER_ROLES, type TokenScope, type UserRole } from '../../src/shared/enums.js';
import { roleAllows, scopeAllows } from '../../src/shared/permissions.js';
import { DEFAULT_SESSION_POLICY } from '../../src/shared/session-policy-schemas.js';
import { apiRoutes } from '../../src/server/http/app.js';
import type { AnyRoute } from '../../src/server/http/route.js';
import { createTestApp, PASSWORD, sessionOf, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, buildIncident, buildToken, buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { fixtureKpiSource } from '../helpers/kpi-snapshots.js';
import { STORE_KINDS } from '../helpers/store.js';

interface World {
  incidentKey: string;
  taskId: string;
  /** A user that admins may edit and that is added to / removed from the incident. */
  otherUserId: string;
  otherEmail: string;
  /** A token belonging to the `other` user. */
  tokenId: string;
  /** An alert (in the walk's incident), a suppression and a maintenance window. */
  alertId: string;
  suppressionId: string;
  windowId: string;
  /** An on-call schedule, an escalation policy and a page (in the walk's incident). */
  scheduleId: string;
  policyId: string;
  pageId: string;
}

/** Session-less URLs whose token is the key (acknowledge link, calendar feed): a made-up token is refused by the route itself. */
const CAPABILITY_ROUTES = new Set([
  'GET /ack/:token',
  'GET /api/v1/oncall/feeds/:token',
  // Signed by the gateway, no session: an unknown gateway is 404.
  'POST /api/v1/campaign-receipts/:gatewayId',
  // No directory is configured in the walk: an unknown sign-in provider is 404 (identity-*.test.ts sign in for real).
  'GET /auth/oidc/:provider/start',
  'POST /api/v1/auth/ldap',
]);

/**
 * SCIM (docs/scim.md): only an administrator's token of scope `scim` named `scim:<provider>` for a provider
 * with `scim: true` gets through (scim.test.ts); the walk has no directory, so every session and token is
 * refused (403, anonymous 401), in the SCIM error schema.
 */
const isScim = (route: AnyRoute) => route.url.startsWith('/scim/');
function expectRefused(route: AnyRoute, res: Awaited<ReturnType<TestApp['as']>>, status: 401 | 403) {
  if (!isScim(route)) return expectProblem(res, status);
  expect(res.statusCode, `${route.method} ${route.url} ${res.body.slice(0, 200)}`).toBe(status);
  expect(res.headers['content-type']).toBe('application/scim+json');
  expect(res.json()).toMatchObject({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
  });
}

let n = 0;

/** A request for `route` with real ids in its path and a valid body where it takes one. */
function sampleRequest(route: AnyRoute, w: World): InjectOptions {
  const byPath: [string, string][] = [
    ['/tasks/', w.taskId],
    ['/users/', w.otherUserId],
    ['/alerts/', w.alertId],
    ['/suppressions/', w.suppressionId],
    ['/maintenance-windows/', w.windowId],
    ['/oncall/schedules/', w.scheduleId],
    ['/oncall/policies/', w.policyId],
    ['/pages/', w.pageId],
  ];
  const id = byPath.find(([part]) => route.url.includes(part))?.[1] ?? w.tokenId;
  const url = route.url
    .replace(':key', w.incidentKey)
    .replace(':userId', w.otherUserId)
    .replace(':role', 'observer')
    .replace(':token', 'made-up-token-of-the-walk')
    .replace(':index', '0')
    .replace(':id', id)
    .replace(':customerNo', 'WALK0');
  const bodies: Record<string, () => unknown> = {
    'POST /api/v1/session': () => ({ email: w.otherEmail, password: PASSWORD }),
    'POST /api/v1/session/mfa': () => ({ code: '000000' }),
    'POST /api/v1/auth/ldap': () => ({ provider: 'walk', username: 'walker', password: PASSWORD }),
    'POST /api/v1/me/mfa/verify': () => ({ code: '000000' }),
    'POST /api/v1/tokens': () => ({ name: 'walk', scopes: ['read'] }),
    // The defaults again: the walk's sessions and tokens keep working.
    'PUT /api/v1/settings/session-policy': () => DEFAULT_SESSION_POLICY,
    'POST /api/v1/users': () => ({
      email: `walk-${++n}@test.example`,
      name: 'Walk',
      role: 'responder',
      password: PASSWORD,
    }),
    'PATCH /api/v1/users/:id': () => ({ name: 'Walked' }),
    'POST /api/v1/me/password': () => ({ currentPassword: 'not-the-password', newPassword: 'walk-lantern-orchard-41' }),
    // The same password again: the walk keeps signing in as the other user with it.
    'POST /api/v1/users/:id/password': () => ({ password: PASSWORD }),
    'POST /api/v1/services': () => ({ key: `walk-${++n}`, nameZh: '巡检', nameEn: 'Walk' }),
    'POST /api/v1/incidents': () => ({ title: 'Walk', category: 'other', grade: 'IV' }),
    'PATCH /api/v1/incidents/:key': () => ({ summary: `walked ${++n}` }),
    'POST /api/v1/incidents/:key/transitions': () => ({ to: 'acknowledged' }),
    'POST /api/v1/incidents/:key/participants': () => ({ userId: w.otherUserId, role: 'observer' }),
    'POST /api/v1/incidents/:key/timeline': () => ({ text: 'walk' }),
    'POST /api/v1/incidents/:key/tasks': () => ({ title: 'walk' }),
    'PATCH /api/v1/incidents/:key/tasks/:id': () => ({ status: 'in_progress' }),
    'POST /api/v1/events': () => [{ event: 'walk', n: ++n }],
    'POST /api/v1/complaints': () => ({ channel: 'app', text: 'walk' }),
    'POST /api/v1/alerts/:id/false-positive': () => ({ reason: 'walk' }),
    'POST /api/v1/alerts/:id/link': () => ({ incidentKey: w.incidentKey }),
    'POST /api/v1/suppressions': () => ({ ruleId: `walk-${++n}`, reason: 'walk' }),
    'POST /api/v1/services/:key/probes': () => ({ name: 'walk', kind: 'tcp', target: 'self' }),
    'PATCH /api/v1/probes/:id': () => ({ name: 'walked' }),
    'PATCH /api/v1/rules/:id': () => ({ enabled: false }),
    'POST /api/v1/rules': () => ({
      fileName: 'walk.yml',
      yaml: `title: Walk\nid: walk-rule-${++n}\nlogsource: {product: walk}\ndetection: {sel: {walk: yes}, condition: sel}\n`,
    }),
    'POST /api/v1/incidents/:key/plans': () => ({ planId: 'walk' }),
    'POST /api/v1/plans': () => ({ source: fs.readFileSync('plans/ransomware.yml', 'utf8') }),
    'POST /api/v1/plans/lint': () => ({ source: 'id: walk\n' }),
    'POST /api/v1/plans/cacao': () => ({ type: 'playbook', spec_version: 'cacao-2.0' }),
    'POST /api/v1/oncall/schedules': () => walkSchedule(w),
    'PUT /api/v1/oncall/schedules/:id': () => walkSchedule(w),
    'POST /api/v1/oncall/schedules/:id/overrides': () => ({
      person: w.otherUserId,
      from: '2026-12-01T00:00:00Z',
      to: '2026-12-02T00:00:00Z',
    }),
    'POST /api/v1/oncall/policies': () => walkPolicy(w),
    'PUT /api/v1/oncall/policies/:id': () => walkPolicy(w),
    'POST /api/v1/incidents/:key/pages': () => ({ reason: 'walk', userIds: [w.otherUserId] }),
    'PUT /api/v1/users/:id/contacts': () => ({ routes: [{ channel: 'mail', address: 'walk@test.example' }] }),
    'POST /api/v1/maintenance-windows': () => ({
      ruleIds: ['walk'],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      reason: 'walk',
    }),
    'POST /api/v1/connectors': () => ({
      name: `walk-${++n}`,
      kind: 'firewall',
      config: { baseUrl: 'http://firewall.example' },
    }),
    'PATCH /api/v1/connectors/:name': () => ({ enabled: false }),
    'POST /api/v1/incidents/:key/actions': () => ({ connector: 'walk', action: 'block_ip', parameters: {} }),
    'POST /api/v1/actions/:id/reject': () => ({ reason: 'walk' }),
    'PATCH /api/v1/status/components/:key': () => ({ position: 1 }),
    'PUT /api/v1/status/components/:key/override': () => ({ state: 'degraded', reason: 'walk' }),
    'POST /api/v1/status/groups': () => ({ key: `walk-${++n}`, name: { zh: '巡检', en: 'Walk' } }),
    'PATCH /api/v1/status/groups/:key': () => ({ position: 2 }),
    'POST /api/v1/status/maintenances': () => ({
      title: { zh: '巡检', en: 'Walk' },
      services: ['walk'],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
    }),
    'PATCH /api/v1/status/maintenances/:id': () => ({ title: { zh: '巡检', en: 'Walk' } }),
    'POST /api/v1/incidents/:key/facts': () => ({ claim: { zh: '巡检谣言' }, verdict: 'unverified' }),
    'POST /api/v1/facts': () => ({ claim: { zh: '巡检谣言' }, verdict: 'unverified' }),
    'PATCH /api/v1/facts/:id': () => ({ verdict: 'false' }),
    'POST /api/v1/incidents/:key/media-inquiries': () => ({
      outlet: 'Walk',
      journalist: 'Walker',
      contact: 'walk@test.example',
      question: 'walk?',
    }),
    'PATCH /api/v1/media-inquiries/:id': () => ({ status: 'closed' }),
    'POST /api/v1/incidents/:key/faq': () => ({ question: { zh: '巡检？' }, answer: { zh: '是' } }),
    'PATCH /api/v1/incidents/:key/faq/:id': () => ({ position: 1 }),
    'POST /api/v1/incidents/:key/statements': () => ({ kind: 'qa_pack' }),
    'POST /api/v1/statements/preview': () => ({ body: { zh: '走查', en: 'walk' } }),
    'POST /api/v1/statements/:id/versions': () => ({ title: { zh: '走查', en: 'walk' }, body: { zh: '', en: '' } }),
    'POST /api/v1/statements/:id/reviews': () => ({ verdict: 'approve' }),
    'POST /api/v1/statements/:id/emergency-approve': () => ({}),
    'POST /api/v1/statements/:id/publish': () => ({}),
    'POST /api/v1/statements/:id/withdraw': () => ({ reason: 'walk' }),
    'POST /api/v1/status/subscribers/webhooks': () => ({
      name: `walk-${++n}`,
      url: 'https://hooks.example.com/walk',
      secret: 'walk-signing-secret-0123',
    }),
    'PATCH /api/v1/status/subscribers/webhooks/:id': () => ({ name: 'walk' }),
    'POST /api/v1/inquiries': () => ({
      name: 'Walk',
      email: 'walk@test.example',
      question: `walk ${++n}?`,
      channel: 'staff',
    }),
    'POST /api/v1/inquiries/:id/assign': () => ({ assigneeId: null }),
    'POST /api/v1/inquiries/:id/answer': () => ({ text: 'walk' }),
    'POST /api/v1/inquiries/:id/notes': () => ({ body: 'walk' }),
    'POST /api/v1/incidents/:key/campaigns': () => ({
      name: 'walk',
      statementId: 'walk-statement',
      audience: { kind: 'customers', customerNos: ['WALK'] },
    }),
    'POST /api/v1/customers/sync': () => ({ items: [{ customerNo: `WALK${++n}`, name: 'Walk' }] }),
    'POST /api/v1/customers/imports/:id/check': () => ({ mapping: { customerNo: 0 } }),
    'PUT /api/v1/customers/:customerNo': () => ({ name: 'Walk' }),
    'POST /api/v1/customers/:customerNo/reveal': () => ({ reason: 'walk' }),
    'POST /api/v1/incidents/:key/affected-sets': () => ({
      name: 'Walk',
      definition: { sources: [{ kind: 'list', accountNos: ['WALK1'] }] },
    }),
    'PUT /api/v1/affected-sets/:id': () => ({ definition: { sources: [{ kind: 'list', accountNos: ['WALK2'] }] } }),
    'POST /api/v1/owner-pools': () => ({ kind: 'branch', name: `walk-${++n}`, userIds: [w.otherUserId] }),
    'POST /api/v1/incidents/:key/owners/assign': () => ({ customerNos: ['walk'] }),
    'PATCH /api/v1/incidents/:key/owners/:id': () => ({ ownerId: w.otherUserId, reason: 'walk' }),
    'POST /api/v1/incidents/:key/owners/:id/contacts': () => ({ channel: 'call', outcome: 'reached' }),
    'POST /api/v1/incidents/:key/owners/:id/callbacks': () => ({ at: new Date(Date.now() + 3600_000).toISOString() }),
    'POST /api/v1/incidents/:key/owners/:id/notes': () => ({ kind: 'note', text: 'walk' }),
    'POST /api/v1/incidents/:key/owners/:id/state': () => ({ state: 'resolved' }),
    'PATCH /api/v1/owner-items/:id': () => ({ status: 'done' }),
    'PATCH /api/v1/incidents/:key/obligations/facts': () => ({ personalInfoRecords: ++n }),
    'PUT /api/v1/firm-profile': () => ({
      jurisdictions: ['CN'],
      ciiOperator: false,
      usBrokerDealer: null,
      listedUs: null,
      doraEntity: null,
      clientsTotal: null,
      csrcTargetMinutes: null,
    }),
    'POST /api/v1/incidents/:key/reports': () => ({ obligation: 'cac-report', stage: 'initial' }),
    'POST /api/v1/reports/:id/versions': () => ({ fields: {} }),
    'POST /api/v1/reports/:id/reject': () => ({ reason: 'walk' }),
    'POST /api/v1/incidents/:key/compensation/runs': () => ({ method: 'fixed', results: [] }),
    'POST /api/v1/incidents/:key/compensation/assess': () => ({
      method: 'fixed',
      inputs: {},
      parameters: { amount: '1' },
    }),
    'POST /api/v1/incidents/:key/compensation/claims': () => ({
      customerNo: 'WALK0',
      source: 'owner',
      claimedMinor: 100,
      description: 'walk',
    }),
    'POST /api/v1/incidents/:key/compensation/bulk-approve': () => ({ claimIds: ['walk'] }),
    'PUT /api/v1/compensation/policy': () => ({
      tiers: [
        { key: 'lead', capMinor: 500_000, roles: ['incident_commander', 'admin'], approvers: 1 },
        { key: 'compliance', capMinor: 10_000_000, roles: ['compliance', 'admin'], approvers: 1 },
        { key: 'second_approver', capMinor: null, roles: ['compliance', 'admin'], approvers: 2 },
      ],
      goodwill: { default: { kind: 'fee_waiver', amountMinor: 0 }, byCustomerTier: {} },
    }),
    'POST /api/v1/incidents/:key/compensation/batches': () => ({ id: `WALK-${++n}`, claimIds: ['walk'] }),
    'POST /api/v1/incidents/:key/compensation/batches/:id/paid': () => ({ reference: 'WALK-BANK' }),
    'POST /api/v1/compensation/claims/:id/assess': () => ({}),
    'POST /api/v1/compensation/claims/:id/offer': () => ({ amountMinor: 100, reason: 'walk' }),
    'POST /api/v1/compensation/claims/:id/counter': () => ({ amountMinor: 100, reason: 'walk' }),
    'POST /api/v1/compensation/claims/:id/accept': () => ({ channel: 'phone' }),
    'POST /api/v1/compensation/claims/:id/decline': () => ({ by: 'firm', reason: 'no_evidence' }),
    'POST /api/v1/compensation/claims/:id/mediation': () => ({ body: 'sac_mediation' }),
    'POST /api/v1/compensation/claims/:id/mediation/outcome': () => ({ outcome: 'withdrawn' }),
    'PUT /api/v1/incidents/:key/compensation/portal': () => ({ open: false }),
    'PUT /api/v1/evidence/:id/hold': () => ({ hold: false, reason: 'permission walk' }),
    'POST /api/v1/incidents/:key/evidence/packages': () => ({ itemIds: ['walk'], recipient: 'permission walk' }),
    'POST /api/v1/incidents/:key/attack': () => ({ techniqueId: 'T1110.004', note: 'permission walk' }),
    'POST /api/v1/investigation-requests': () => ({
      requesterKind: 'police',
      requesterName: 'permission walk',
      requested: 'logs',
      receivedAt: '2026-12-01T00:00:00Z',
    }),
    'PATCH /api/v1/investigation-requests/:id': () => ({ requested: 'logs and screenshots' }),
    'POST /api/v1/investigation-requests/:id/answer': () => ({ handedOver: [{ kind: 'other', description: 'walk' }] }),
    // A stale revision (409): the walk writes no report, so no role becomes its author and approving is
    // refused for the state (409), never for self-approval (403, which the walk would read as the matrix's).
    'PUT /api/v1/incidents/:key/investigation-report': () => ({ sections: { summary: 'walk' }, revision: 999 }),
    'POST /api/v1/incidents/:key/investigation-report/request-changes': () => ({ comment: 'permission walk' }),
    'POST /api/v1/incidents/:key/iocs': () => ({ type: 'domain', value: `walk-${++n}.example.com` }),
    'PATCH /api/v1/incidents/:key/iocs/:id': () => ({ confidence: 10 }),
    'POST /api/v1/incidents/:key/iocs/:id/revoke': () => ({ reason: 'walk' }),
    'POST /api/v1/incidents/:key/iocs/detection': () => ({ types: ['domain'], minConfidence: 0 }),
    'POST /api/v1/action-items': () => ({
      title: `walk ${++n}`,
      ownerId: w.otherUserId,
      dueAt: '2026-12-31T00:00:00Z',
    }),
    'PATCH /api/v1/action-items/:id': () => ({ priority: 'p2' }),
    'POST /api/v1/action-items/:id/transitions': () => ({ to: 'in_progress' }),
    // The walk's incident is not resolved: it has no review (404), opening one is refused (409).
    'PUT /api/v1/incidents/:key/review': () => ({ revision: 999 }),
    'POST /api/v1/incidents/:key/review/action-items': () => ({
      title: 'walk',
      ownerId: w.otherUserId,
      dueAt: '2026-12-31T00:00:00Z',
    }),
    'POST /api/v1/vulnerabilities/findings/:id/transition': () => ({ to: 'in_remediation' }),
    'POST /api/v1/vulnerabilities/mappings': () => ({ pattern: 'walk-*', serviceKey: 'walk' }),
    'PUT /api/v1/vulnerabilities/sla': () => ({ critical: 7, high: 30, medium: 90, low: 180 }),
    // The risk register and training (issue 16); no course gates on-call in the walk.
    'POST /api/v1/risks': () => ({ title: `Walk risk ${++n}`, category: 'cyber', likelihood: 2, impact: 3 }),
    'PATCH /api/v1/risks/:id': () => ({ version: 1, status: 'treating' }),
    'POST /api/v1/training/records': () => ({
      employeeId: `WALK${++n}`,
      department: 'Walk',
      courseCode: 'SEC-101',
      courseName: 'Security awareness',
      completedOn: '2026-11-30',
    }),
    'PUT /api/v1/training/required-courses': () => ({
      items: [{ courseCode: 'SEC-101', courseName: 'Security awareness', periodMonths: 12 }],
    }),
    'POST /api/v1/drills': () => ({
      title: `Walk drill ${++n}`,
      scenario: { zh: '巡检', en: 'Walk' },
      scheduledAt: '2026-12-01T00:00:00Z',
    }),
    'PATCH /api/v1/drills/:id': () => ({ title: 'walked' }),
    'POST /api/v1/drills/:id/injects': () => ({
      injects: [
        { offsetMinutes: 1, title: { zh: '巡检', en: 'Walk' }, text: { zh: '巡检', en: 'Walk' }, channel: 'internal' },
      ],
    }),
    'POST /api/v1/management-reports': () => ({ kind: 'monthly', period: '2026-11', lang: 'en' }),
    'POST /scim/v2/Users': () => ({ userName: `walk-${++n}@test.example` }),
    'PUT /scim/v2/Users/:id': () => ({ userName: 'walk@test.example' }),
    'PATCH /scim/v2/Users/:id': () => scimPatch,
    'POST /scim/v2/Groups': () => ({ displayName: `walk-${++n}` }),
    'PUT /scim/v2/Groups/:id': () => ({ displayName: 'walk' }),
    'PATCH /scim/v2/Groups/:id': () => scimPatch,
  };
  const body = bodies[`${route.method} ${route.url}`];
  if (route.body && !body) throw new Error(`add a sample body for ${route.method} ${route.url} to the permission walk`);
  return { method: route.method, url, ...(body ? { payload: body() as Record<string, unknown> } : {}) };
}

const scimPatch = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'replace', path: 'displayName', value: 'walk' }],
};
const walkSchedule = (w: World) => ({
  name: `Walk ${++n}`,
  layers: [{ rotation: 'daily', participants: [w.otherUserId], handoffTime: '09:00', startDate: '2026-12-01' }],
});
const walkPolicy = (w: World) => ({
  name: `Walk ${++n}`,
  levels: [{ targets: [{ kind: 'person', personId: w.otherUserId }], waitMinutes: 5 }],
});

/** Whether a role is allowed through the route's access gate. */
const allowed = (route: AnyRoute, role: UserRole) =>
  route.access === 'public' || route.access === 'signed-in' || roleAllows(role, route.access);

describe.each(STORE_KINDS)('permission walk (%s)', (kind) => {
  let t: TestApp;
  let routes: AnyRoute[];
  let world: World;
  const sessions = new Map<UserRole, Session>();

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { kpiSource: fixtureKpiSource });
    routes = apiRoutes(t.s);
    const admin = await t.login('admin');
    const other = await buildUser(t.s);
    const { key } = await buildIncident(t.s, { by: admin, title: 'Walk target', grade: 'III' });
    await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/participants`,
      payload: { userId: other.id, role: 'observer' },
    });
    const task = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/tasks`,
      payload: { title: 'Walk task' },
    });
    const token = await buildToken(t.s, other.id);
    const alert = await buildAlert(t.s, { ruleId: 'walk' });
    await t.as(admin, { method: 'POST', url: `/api/v1/alerts/${alert.alertId}/link`, payload: { incidentKey: key } });
    const suppression = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/suppressions',
      payload: { ruleId: 'walk', reason: 'walk' },
    });
    const window = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/maintenance-windows',
      payload: {
        ruleIds: ['walk'],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        reason: 'walk',
      },
    });
    const schedule = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/oncall/schedules',
      payload: walkSchedule({ otherUserId: other.id } as World),
    });
    const policy = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/oncall/policies',
      payload: walkPolicy({ otherUserId: other.id } as World),
    });
    const page = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/pages`,
      payload: { reason: 'walk', userIds: [other.id] },
    });
    world = {
      scheduleId: schedule.json().id,
      policyId: policy.json().id,
      pageId: page.json().id,
      incidentKey: key,
      taskId: task.json().id,
      otherUserId: other.id,
      otherEmail: other.email,
      tokenId: token.id,
      alertId: alert.alertId,
      suppressionId: suppression.json().id,
      windowId: window.json().id,
    };
    for (const role of USER_ROLES) sessions.set(role, await t.login(role));
  });
  afterAll(() => t.close());

  it('covers a real route table', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes.filter((r) => r.access !== 'public' && r.access !== 'signed-in').length).toBeGreaterThanOrEqual(15);
  });

  it('refuses every non-public route to an anonymous caller with 401', async () => {
    for (const route of routes) {
      const res = await t.as(null, sampleRequest(route, world));
      if (CAPABILITY_ROUTES.has(`${route.method} ${route.url}`)) expect([403, 404]).toContain(res.statusCode);
      else if (route.access === 'public') expect(res.statusCode, `${route.method} ${route.url}`).toBeLessThan(400);
      else expectRefused(route, res, 401);
    }
  });

  for (const role of USER_ROLES) {
    it(`lets ${role} through exactly the routes the matrix allows`, async () => {
      const checked: string[] = [];
      for (const route of routes) {
        // Signing out (here or everywhere) ends the session: give that request a session of its own.
        const session =
          route.method === 'DELETE' && (route.url === '/api/v1/session' || route.url === '/api/v1/me/sessions')
            ? await t.login(role)
            : sessions.get(role)!;
        const res = await t.as(session, sampleRequest(route, world));
        const what = `${role} ${route.method} ${route.url} -> ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (CAPABILITY_ROUTES.has(`${route.method} ${route.url}`)) {
          expect([403, 404], what).toContain(res.statusCode);
        } else if (isScim(route)) {
          expectRefused(route, res, 403);
        } else if (allowed(route, role)) {
          expect(res.statusCode, what).not.toBe(403);
          expect(res.statusCode, what).not.toBe(401);
          expect(res.statusCode, what).toBeLessThan(500);
        } else {
          expectProblem(res, 403);
        }
        checked.push(`${route.method} ${route.url}`);
      }
      expect(checked).toHaveLength(routes.length);
      // The session is still good afterwards: no route signed it out by accident.
      expect((await t.as(sessions.get(role)!, { method: 'GET', url: '/api/v1/session' })).statusCode).toBe(200);
    });
  }

  it.each(TOKEN_SCOPES)("limits an admin's %s-scoped API token to what the scope allows", async (scope: TokenScope) => {
    const admin = await buildUser(t.s, { role: 'admin' });
    const { token } = await buildToken(t.s, admin.id, { scopes: [scope] });
    for (const route of routes) {
      if (route.access === 'public' || route.access === 'signed-in') continue;
      const req = sampleRequest(route, world);
      const res = await t.app.inject({ ...req, headers: { authorization: `Bearer ${token}` } });
      const what = `${scope} token ${route.method} ${route.url} -> ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (isScim(route)) expectRefused(route, res, 403);
      else if (scopeAllows([scope], route.access)) {
        expect(res.statusCode, what).not.toBe(403);
        expect(res.statusCode, what).toBeLessThan(500);
      } else {
        expectRefused(route, res, 403);
      }
    }
  });

  it('lets a session that owes its second factor do nothing but finish signing in', async () => {
    const role: UserRole = 'incident_commander';
    const email = `mfa-walk-${kind}@test.example`;
    const s = await t.login(role, email);
    await t.enrolTotp(s);

    const login = await t.signIn(email);
    expect(login.json().mfaRequired).toBe(true);
    const pending = sessionOf(login);
    const open = new Set([
      'POST /api/v1/session',
      'GET /api/v1/session',
      'POST /api/v1/session/mfa',
      'DELETE /api/v1/session',
      // Public sign-in routes: what the sign-in page offers, and the provider's way back.
      'GET /api/v1/auth/options',
      'GET /auth/oidc/:provider/callback',
    ]);
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      if (open.has(name) || CAPABILITY_ROUTES.has(name)) continue;
      expectRefused(route, await t.as(pending, sampleRequest(route, world)), 403);
    }
    expectProblem(await t.as(pending, { method: 'GET', url: '/api/v1/stream' }), 403);
    expect((await t.as(pending, { method: 'GET', url: '/api/v1/session' })).json().mfaRequired).toBe(true);
  });

  it('lets a session signed in with a one-time password do nothing but change it (and the session routes)', async () => {
    const s = await t.login('admin');
    const u = await buildUser(t.s, { role: 'admin' });
    const { password } = (
      await t.as(s, { method: 'POST', url: `/api/v1/users/${u.id}/password`, payload: {} })
    ).json() as { password: string };
    const login = await t.signIn(u.email, password);
    expect(login.json().passwordChangeRequired).toBe(true);
    const pending = sessionOf(login);
    for (const route of routes) {
      if (route.access === 'public' || route.access === 'signed-in') continue;
      const res = await t.as(pending, sampleRequest(route, world));
      if (isScim(route)) {
        expectRefused(route, res, 403);
        expect(res.json().detail).toMatch(/change your password first/);
        continue;
      }
      expect(expectProblem(res, 403).detail).toMatch(/change your password first/);
    }
    expectProblem(await t.as(pending, { method: 'GET', url: '/api/v1/stream' }), 403);
    expect((await t.as(pending, { method: 'GET', url: '/api/v1/session' })).json().passwordChangeRequired).toBe(true);
  });
});
